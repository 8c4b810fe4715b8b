using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>Runs one Grep request through both engines; ripgrep must be installed (ops/setup.sh installs it).</summary>
internal static class GrepEngines
{
    public static void RequireRipgrep() =>
        Assert.True(RipgrepSearch.Installed is not null,
            "ripgrep (rg) is not installed, so Grep cannot be compared with its .NET fallback: run ops/setup.sh (it installs ripgrep)");

    public static GrepRequest Request(string pattern, string path, GrepOutputMode mode = GrepOutputMode.Content,
        bool ignoreCase = false, bool lineNumbers = true, int before = 0, int after = 0, bool multiline = false,
        string? glob = null, string? type = null, int? headLimit = null) =>
        new(pattern, path, glob, type, mode, ignoreCase, lineNumbers, before, after, multiline, headLimit);

    public static GrepOutput Ripgrep(GrepRequest request, Func<string, bool>? include = null) =>
        RipgrepSearch.SearchAsync(request, include, GrepSearch.MaxLines, GrepSearch.Timeout, CancellationToken.None).GetAwaiter().GetResult();

    public static GrepOutput Managed(GrepRequest request, Func<string, bool>? include = null) =>
        ManagedGrep.Search(request, include, GrepSearch.MaxLines, GrepSearch.MaxFileBytes, GrepSearch.Timeout, CancellationToken.None);

    /// <summary>Both engines' output for the request; fails when they differ (a fallback refusal is returned, not compared).</summary>
    public static GrepOutput Same(GrepRequest request, Func<string, bool>? include = null)
    {
        var managed = Managed(request, include);
        if (managed.Error is not null) return managed;
        var rg = Ripgrep(request, include);
        Assert.True(rg.Error is null, $"ripgrep failed where the fallback searched: {rg.Error}\n{Describe(request)}");
        Assert.True(rg.Lines.SequenceEqual(managed.Lines),
            $"{Describe(request)}\n--- ripgrep\n{Show(rg.Lines)}\n--- dotnet\n{Show(managed.Lines)}");
        return managed;
    }

    private static string Show(IReadOnlyList<string> lines) =>
        string.Join('\n', lines.Select(l => "[" + l.Replace("\r", "\\r") + "]"));

    public static string Describe(GrepRequest r) =>
        $"pattern {r.Pattern} mode {r.Mode} -i {r.IgnoreCase} -n {r.LineNumbers} -B {r.Before} -A {r.After} multiline {r.Multiline} glob {r.Glob} type {r.Type}";
}
