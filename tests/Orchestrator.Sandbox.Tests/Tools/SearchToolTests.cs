using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>Glob and Grep as the pipeline runs them: under the run's profile, with the policy's hidden paths.</summary>
public sealed class SearchToolTests : IDisposable
{
    private readonly FileToolHarness _h = new(deny: ["Read(./secrets/**)", "Read(*.key)"]);

    public SearchToolTests()
    {
        Write("src/a.cs", "class A { int needle; }\n");
        Write("src/b.cs", "class B {}\n");
        Write("secrets/token.cs", "needle = \"s3cr3t\"\n");
        Write("src/c.key", "needle\n");
        Write("README.md", "a needle in the readme\n");
    }

    public void Dispose() => _h.Dispose();

    private void Write(string relative, string content)
    {
        var path = _h.InWorkspace(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public async Task Glob_lists_workspace_files_but_never_those_the_policy_hides()
    {
        var outcome = await _h.RunAsync(FileToolHarness.Call(ToolNames.Glob, ("pattern", "**/*"), ("path", _h.Workspace)));

        Assert.True(outcome.Succeeded, outcome.Error);
        var listed = outcome.Output.Split('\n').Order().ToArray();
        Assert.Equal(new[] { "README.md", "src/a.cs", "src/b.cs" }.Select(_h.InWorkspace).Order(), listed);
        Assert.Equal(_h.Workspace, outcome.Record!.Target);
        Assert.Equal("3", outcome.Record.Details!["matched"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Grep_finds_lines_through_either_engine_but_never_in_hidden_files(bool ripgrep)
    {
        if (ripgrep) GrepEngines.RequireRipgrep();
        var executor = new GrepTool(preferRipgrep: ripgrep);
        var call = FileToolHarness.Call(ToolNames.Grep, ("pattern", "needle"), ("path", _h.Workspace), ("output_mode", "content"));
        var profile = SandboxProfileFactory.FromPolicy(_h.Policy, SandboxMode.WorkspaceWrite, NetworkAccess.Off);

        var outcome = await executor.RunAsync(new ToolRun(call, profile, _h.Policy, NetworkAccess.Off, _h.Limits) { Sandbox = FileToolHarness.Sandbox }, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal($"{_h.InWorkspace("README.md")}:1:a needle in the readme\n{_h.InWorkspace("src/a.cs")}:1:class A {{ int needle; }}", outcome.Output);
        Assert.DoesNotContain("s3cr3t", outcome.Output);
        Assert.Equal(ripgrep ? "ripgrep" : "dotnet", outcome.Record!.Details!["engine"]);
    }

    [Fact]
    public async Task Ripgrep_runs_inside_the_bash_sandbox_so_a_hidden_file_never_reaches_it()
    {
        GrepEngines.RequireRipgrep();
        var profile = SandboxProfileFactory.FromPolicy(_h.Policy, SandboxMode.WorkspaceWrite, NetworkAccess.Off);
        var confinement = new RipgrepConfinement(FileToolHarness.Sandbox, profile);
        Assert.True(confinement.CanRun, $"the platform sandbox cannot run here: {FileToolHarness.Sandbox.Plan(confinement.Profile).RefusalReason}");
        var request = GrepEngines.Request("needle", _h.Workspace);

        // Nothing filters the lines here (include: null): they are what ripgrep itself read.
        var unconfined = GrepEngines.Ripgrep(request);
        var confined = await RipgrepSearch.SearchConfinedAsync(request, include: null, GrepSearch.MaxLines, GrepSearch.Timeout, confinement, CancellationToken.None);

        Assert.Contains(unconfined.Lines, l => l.Contains("s3cr3t")); // the control: ripgrep alone reads the hidden file
        Assert.True(confined.Error is null, confined.Error);
        Assert.Contains($"{_h.InWorkspace("README.md")}:1:a needle in the readme", confined.Lines);
        Assert.DoesNotContain(confined.Lines, l => l.Contains("s3cr3t") || l.Contains(".key:"));
    }

    [Fact]
    public async Task Grep_through_the_executor_uses_the_sandboxed_ripgrep_and_its_line_cap()
    {
        GrepEngines.RequireRipgrep();
        _h.Limits = ToolLimits.Default with { MaxGrepLines = 1 };

        var outcome = await _h.RunAsync(FileToolHarness.Call(ToolNames.Grep, ("pattern", "needle"), ("path", _h.Workspace), ("output_mode", "content")));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("ripgrep", outcome.Record!.Details!["engine"]);
        Assert.Equal($"{_h.InWorkspace("README.md")}:1:a needle in the readme\n(Output cut at 1 lines.)", outcome.Output);
    }

    [Fact]
    public async Task Glob_lists_no_more_than_its_configured_cap_and_counts_the_rest()
    {
        _h.Limits = ToolLimits.Default with { MaxGlobResults = 1 };

        var outcome = await _h.RunAsync(FileToolHarness.Call(ToolNames.Glob, ("pattern", "**/*"), ("path", _h.Workspace)));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(("3", "1"), (outcome.Record!.Details!["matched"], outcome.Record.Details["listed"]));
        Assert.Contains("2 more files matched", outcome.Output);
    }

    [Fact]
    public async Task Grep_in_a_hidden_directory_is_refused()
    {
        var outcome = await _h.RunAsync(FileToolHarness.Call(ToolNames.Grep, ("pattern", "needle"), ("path", _h.InWorkspace("secrets"))));

        Assert.False(outcome.Succeeded);
        Assert.Contains("hidden by the policy", outcome.Error);
    }

    [Fact]
    public async Task Grep_head_limit_count_and_files_modes_shape_the_output()
    {
        var files = await _h.RunAsync(FileToolHarness.Call(ToolNames.Grep, ("pattern", "class"), ("path", _h.Workspace)));
        var count = await _h.RunAsync(FileToolHarness.Call(ToolNames.Grep, ("pattern", "class"), ("path", _h.Workspace), ("output_mode", "count")));
        var limited = await _h.RunAsync(FileToolHarness.Call(ToolNames.Grep, ("pattern", "class"), ("path", _h.Workspace), ("head_limit", 1)));
        var none = await _h.RunAsync(FileToolHarness.Call(ToolNames.Grep, ("pattern", "nothing-like-this"), ("path", _h.Workspace)));

        Assert.Equal($"{_h.InWorkspace("src/a.cs")}\n{_h.InWorkspace("src/b.cs")}", files.Output);
        Assert.Equal($"{_h.InWorkspace("src/a.cs")}:1\n{_h.InWorkspace("src/b.cs")}:1", count.Output);
        Assert.Equal(_h.InWorkspace("src/a.cs"), limited.Output);
        Assert.Equal("No files found", none.Output);
    }

    [Theory]
    [InlineData("output_mode", "lines", "output_mode")]
    [InlineData("-A", "-1", "'-A'")]
    [InlineData("-i", "yes", "'-i'")]
    [InlineData("type", "cobol", "'type'")]
    [InlineData("path", "relative/dir", "absolute path")]
    [InlineData("glob", "[ab", "unclosed")]
    public async Task Grep_bad_input_is_refused_before_it_runs(string key, string value, string named)
    {
        var outcome = await _h.RunAsync(FileToolHarness.Call(ToolNames.Grep, ("pattern", "x"), (key, value)));

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("invalid: ", outcome.Error);
        Assert.Contains(named, outcome.Error);
    }

    [Fact]
    public void Without_ripgrep_a_pattern_the_fallback_cannot_match_alike_is_refused_at_validation()
    {
        var problem = new GrepTool(preferRipgrep: false).Validate(FileToolHarness.Call(ToolNames.Grep, ("pattern", "a(?=b)")), _h.Limits);

        Assert.Contains("look-ahead is not supported by ripgrep", problem);
    }

    [Theory]
    [InlineData("needle(")]
    [InlineData("a(?=b)")]
    [InlineData("(a)\\1")]
    [InlineData("x\\n")]
    public void An_invalid_pattern_is_refused_at_validation_with_the_same_words_whichever_engine_would_search(string pattern)
    {
        GrepEngines.RequireRipgrep();
        var call = FileToolHarness.Call(ToolNames.Grep, ("pattern", pattern), ("path", _h.Workspace));

        var withRipgrep = new GrepTool(preferRipgrep: true).Validate(call, _h.Limits);
        var withFallback = new GrepTool(preferRipgrep: false).Validate(call, _h.Limits);

        Assert.NotNull(withRipgrep);
        Assert.Equal(withFallback, withRipgrep);
        Assert.StartsWith($"pattern '{pattern}' is not a valid ripgrep regex: ", withRipgrep);
    }

    [Fact]
    public void A_pattern_only_the_fallback_cannot_search_is_left_to_ripgrep_when_it_is_installed()
    {
        GrepEngines.RequireRipgrep();
        var call = FileToolHarness.Call(ToolNames.Grep, ("pattern", "\\p{Greek}"), ("path", _h.Workspace));

        Assert.Null(new GrepTool(preferRipgrep: true).Validate(call, _h.Limits));
        Assert.Contains("cannot be searched identically to ripgrep", new GrepTool(preferRipgrep: false).Validate(call, _h.Limits));
    }

    [Fact]
    public void A_parse_error_ripgrep_still_reports_is_worded_as_the_shared_check_words_it()
    {
        GrepEngines.RequireRipgrep();
        // \p{Foo} passes the parser as "only the fallback cannot search it"; ripgrep itself refuses it.
        var output = GrepEngines.Ripgrep(GrepEngines.Request("\\p{Foo}", _h.Workspace));

        Assert.StartsWith("pattern '\\p{Foo}' is not a valid ripgrep regex: ", output.Error);
        Assert.DoesNotContain("\n", output.Error);
    }
}
