using System.Text;

namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Reads OpenAI Codex execpolicy <c>.rules</c> files (the Starlark <c>prefix_rule(...)</c> subset).
/// Never throws on bad input: every problem becomes a <see cref="PolicyLoadError"/> with file:line:column,
/// and any error means the policy must fail closed.
/// </summary>
public static class CodexRulesParser
{
    /// <summary>The file extension loaded by <see cref="LoadDirectory"/>.</summary>
    public const string FileExtension = ".rules";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses rules text; <paramref name="path"/> is used only in locations. Errors are ordered by position.</summary>
    public static CodexRulesFile Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);

        var (calls, syntaxErrors) = CodexSyntaxParser.Parse(text, path);
        var errors = new List<PolicyLoadError>(syntaxErrors);
        var rules = new List<CodexPrefixRule>();
        foreach (var call in calls)
        {
            if (CodexRuleBuilder.Build(call, errors) is { } rule)
            {
                rules.Add(rule);
            }
        }

        var ordered = errors
            .OrderBy(error => error.Location.Line)
            .ThenBy(error => error.Location.Column)
            .ToArray();
        return new CodexRulesFile(path, rules, ordered);
    }

    /// <summary>Reads and parses one file; a missing or unreadable file, or invalid UTF-8, is reported as an error.</summary>
    public static CodexRulesFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return FileError(path, new SourceLocation(path, 0, 0), $"cannot read rules file: {exception.Message}");
        }

        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException exception)
        {
            var offset = start + Math.Clamp(exception.Index, 0, bytes.Length - start);
            return FileError(path, LocateByte(path, bytes, start, offset), "rules file is not valid UTF-8");
        }

        return Parse(text, path);
    }

    /// <summary>Loads every <c>*.rules</c> file directly in <paramref name="directory"/>, in ordinal file-name order; a missing directory gives an empty list.</summary>
    public static IReadOnlyList<CodexRulesFile> LoadDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        string[] files;
        try
        {
            files = Directory.GetFiles(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [FileError(directory, new SourceLocation(directory, 0, 0), $"cannot list rules directory: {exception.Message}")];
        }

        return files
            .Where(file => file.EndsWith(FileExtension, StringComparison.Ordinal))
            .OrderBy(file => Path.GetFileName(file), StringComparer.Ordinal)
            .Select(Load)
            .ToArray();
    }

    private static CodexRulesFile FileError(string path, SourceLocation location, string message) =>
        new(path, [], [new PolicyLoadError(location, message)]);

    /// <summary>The 1-based line and column (in characters) of the byte at <paramref name="offset"/>.</summary>
    private static SourceLocation LocateByte(string path, byte[] bytes, int start, int offset)
    {
        var line = 1;
        var lineStart = start;
        for (var i = start; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        var column = Encoding.UTF8.GetCharCount(bytes, lineStart, offset - lineStart) + 1;
        return new SourceLocation(path, line, column);
    }
}
