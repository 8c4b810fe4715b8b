using System.Text;
using Orchestrator.Core.Calls;

namespace Orchestrator.Server.Mcp.Gateway;

/// <summary>
/// One MCP server the gateway fronts, as given to <c>--upstream NAME=COMMAND ARGS…</c> (a program started with its
/// arguments, speaking MCP on its stdin/stdout; words split as a shell would for plain and quoted words, nothing
/// expanded) or <c>--upstream NAME=https://…</c> (streamable HTTP). Its tools are listed as <c>mcp__NAME__TOOL</c>.
/// </summary>
public sealed record McpUpstreamSpec(string Name, string? Command, IReadOnlyList<string> Arguments, Uri? Url)
{
    public static (McpUpstreamSpec? Spec, string? Problem) Parse(string text)
    {
        if (McpTools.UpstreamProblem(text) is { } bad) return (null, bad);
        var equals = text.IndexOf('=');
        var name = text[..equals].Trim();
        var value = text[(equals + 1)..].Trim();
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return Uri.TryCreate(value, UriKind.Absolute, out var url)
                ? (new McpUpstreamSpec(name, null, [], url), null)
                : (null, $"upstream {name}: '{value}' is not a URL");
        if (Words(value) is not { Count: > 0 } words) return (null, $"upstream {name}: no command (or an unclosed quote) in '{value}'");
        return (new McpUpstreamSpec(name, words[0], words[1..], null), null);
    }

    /// <summary>Whitespace-separated words; '…' and "…" quote (with \" and \\ inside double quotes). Null: an unclosed quote.</summary>
    private static List<string>? Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else if (q == '"' && c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\') word.Append(text[++i]);
                else word.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else if (c is '\'' or '"') (quote, inWord) = (c, true);
            else (inWord, _) = (true, word.Append(c));
        }
        if (quote is not null) return null;
        if (inWord) words.Add(word.ToString());
        return words;
    }

    public override string ToString() => Url?.ToString() ?? string.Join(' ', Arguments.Prepend(Command));
}
