using System.Text.Json;

namespace Orchestrator.Core.Text;

/// <summary>
/// Whether every string and property name in a parsed JSON value can be read as text. <see cref="JsonDocument"/> keeps
/// strings as the bytes received and decodes one only when it is read: bytes that are not UTF-8, and an escaped lone
/// surrogate (<c>"\ud800"</c>), throw then. Input from outside is checked whole, once, before anything reads it.
/// </summary>
public static class JsonText
{
    public const string Problem = "holds text that is not valid Unicode (bytes that are not UTF-8, or an escaped lone surrogate)";

    public static bool IsReadable(JsonElement value)
    {
        try
        {
            Read(value);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Read(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                _ = value.GetString();
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    _ = property.Name;
                    Read(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray()) Read(item);
                break;
        }
    }
}
