using System.Text;

namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Reads OpenAI Codex execpolicy <c>.rules</c> files: the Starlark subset of <c>prefix_rule(...)</c>,
/// <c>host_executable(...)</c> and <c>network_rule(...)</c> calls. Never throws on bad input: every problem becomes a
/// <see cref="PolicyLoadError"/> with file:line:column, and any error means the policy must fail closed.
/// </summary>
public static class CodexRulesParser
{
    /// <summary>The file extension loaded by <see cref="LoadDirectory"/>.</summary>
    public const string FileExtension = ".rules";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses rules text; <paramref name="path"/> is used only in locations, <paramref name="homeDirectory"/> resolves
    /// <c>~/</c> in host_executable paths. Inline examples are checked after the whole file is read, against its
    /// host_executable entries, as Codex checks them. Errors are ordered by position.
    /// </summary>
    public static CodexRulesFile Parse(string text, string path, string? homeDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);

        var (calls, syntaxErrors) = CodexSyntaxParser.Parse(text, path);
        var errors = new List<PolicyLoadError>(syntaxErrors);
        var pending = new List<CodexRuleBuilder.Pending>();
        var hostExecutables = new List<CodexHostExecutable>();
        var networkRules = new List<CodexNetworkRule>();
        foreach (var call in calls)
        {
            switch (call.Function)
            {
                case CodexRuleBuilder.Function when CodexRuleBuilder.Build(call, errors) is { } rule:
                    pending.Add(rule);
                    break;
                case CodexHostExecutableBuilder.Function when CodexHostExecutableBuilder.Build(call, homeDirectory, errors) is { } host:
                    hostExecutables.Add(host);
                    break;
                case CodexNetworkRuleBuilder.Function when CodexNetworkRuleBuilder.Build(call, errors) is { } network:
                    networkRules.Add(network);
                    break;
            }
        }

        var hosts = CodexHostExecutables.Of(hostExecutables);
        var rules = pending.Where(p => CodexRuleBuilder.CheckExamples(p, hosts, errors)).Select(p => p.Rule).ToArray();
        var ordered = errors
            .OrderBy(error => error.Location.Line)
            .ThenBy(error => error.Location.Column)
            .ToArray();
        return new CodexRulesFile(path, rules, ordered) { HostExecutables = hostExecutables, NetworkRules = networkRules };
    }

    /// <summary>Reads and parses one file; a missing or unreadable file, or invalid UTF-8, is reported as an error.</summary>
    public static CodexRulesFile Load(string path, string? homeDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Unreadable(path, exception.Message);
        }
        return FromBytes(bytes, path, homeDirectory);
    }

    /// <summary>A rules file that could not be read, reported at its path.</summary>
    public static CodexRulesFile Unreadable(string path, string reason) =>
        FileError(path, new SourceLocation(path, 0, 0), $"cannot read rules file: {reason}");

    /// <summary>Parses a file's bytes (checked to be UTF-8; a BOM is skipped); <paramref name="path"/> is used only in locations.</summary>
    public static CodexRulesFile FromBytes(byte[] bytes, string path, string? homeDirectory = null)
    {
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

        return Parse(text, path, homeDirectory);
    }

    /// <summary>Loads every <c>*.rules</c> file directly in <paramref name="directory"/>, in ordinal file-name order; a missing directory gives an empty list.</summary>
    public static IReadOnlyList<CodexRulesFile> LoadDirectory(string directory, string? homeDirectory = null)
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
            .Select(file => Load(file, homeDirectory))
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
