using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Sandbox.Tools.Web;

/// <summary>
/// The readable text of an HTML page: scripts, styles, templates and comments dropped, block elements and
/// <c>&lt;br&gt;</c> turned into line breaks, list items into "- " lines, entities decoded, runs of blanks collapsed and
/// at most one empty line kept in a row. Linear-time patterns only, bounded by a timeout.
/// </summary>
public static partial class HtmlText
{
    [GeneratedRegex(@"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<noscript\b.*?</noscript\s*>|<template\b.*?</template\s*>|<svg\b.*?</svg\s*>|<head\b.*?</head\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking, 5000)]
    private static partial Regex Dropped();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking, 5000)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"</?(p|div|br|h[1-6]|ul|ol|tr|table|section|article|header|footer|nav|main|pre|blockquote|hr|dt|dd|title)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking, 5000)]
    private static partial Regex Block();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.NonBacktracking, 5000)]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\f\v\u00A0]+", RegexOptions.NonBacktracking, 5000)]
    private static partial Regex Blanks();

    public static string Extract(string html)
    {
        var text = Dropped().Replace(html, " ");
        text = ListItem().Replace(text, "\n- ");
        text = Block().Replace(text, "\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        var lines = new StringBuilder();
        var blank = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = Blanks().Replace(raw.Replace('\r', ' '), " ").Trim();
            if (line.Length == 0) { if (lines.Length > 0 && blank++ == 0) lines.Append('\n'); continue; }
            blank = 0;
            lines.Append(line).Append('\n');
        }
        return lines.ToString().TrimEnd('\n');
    }

    public static bool IsHtml(string? mediaType) =>
        mediaType is "text/html" or "application/xhtml+xml";

    public static bool IsText(string? mediaType) =>
        mediaType is null || mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType.EndsWith("+json", StringComparison.Ordinal)
        || mediaType.EndsWith("+xml", StringComparison.Ordinal)
        || mediaType is "application/json" or "application/xml" or "application/javascript" or "application/x-javascript" or "application/yaml" or "application/toml";
}
