using System.Text.Json;

namespace Orchestrator.Core.Text;

/// <summary>
/// Reading text out of a parsed JSON value that came from outside. <see cref="JsonDocument"/> keeps strings as the bytes
/// received and decodes one only when it is read: bytes that are not UTF-8, and an escaped lone surrogate
/// (<c>"\ud800"</c>), throw <see cref="InvalidOperationException"/> then. Each reader of such input decodes every string it
/// keeps exactly once and maps that exception to <see cref="Problem"/> (a 400, never a 500); what it keeps as JSON text
/// (an array or object field) it walks once with <see cref="ReadDepth"/>, which decodes every string and name inside.
/// </summary>
public static class JsonText
{
    public const string Problem = "holds text that is not valid Unicode (bytes that are not UTF-8, or an escaped lone surrogate)";

    /// <summary>
    /// How deeply arrays and objects nest in <paramref name="value"/> (a scalar: 0, an array of scalars: 1), reading every
    /// string and property name inside on the way: one walk both bounds the nesting and proves the text readable.
    /// </summary>
    /// <exception cref="InvalidOperationException">A string or name inside is not valid Unicode.</exception>
    public static int ReadDepth(JsonElement value) => ReadDepth(value, 0);

    private static int ReadDepth(JsonElement value, int depth)
    {
        var deepest = depth;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                _ = value.GetString();
                break;
            case JsonValueKind.Object:
                deepest = depth + 1;
                foreach (var property in value.EnumerateObject())
                {
                    _ = property.Name;
                    deepest = Math.Max(deepest, ReadDepth(property.Value, depth + 1));
                }
                break;
            case JsonValueKind.Array:
                deepest = depth + 1;
                foreach (var item in value.EnumerateArray()) deepest = Math.Max(deepest, ReadDepth(item, depth + 1));
                break;
        }
        return deepest;
    }
}
