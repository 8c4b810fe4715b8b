using System.Text;

namespace Orchestrator.Core.Text;

/// <summary>The one spelling of enum values outside C#: kebab-case, e.g. <c>rule-deny</c>, <c>awaiting-approval</c>.</summary>
public static class KebabCase
{
    public static string Of(string pascal)
    {
        var b = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) b.Append('-');
            b.Append(char.ToLowerInvariant(pascal[i]));
        }
        return b.ToString();
    }

    public static string Of<T>(T value) where T : struct, Enum => Of(value.ToString());
}
