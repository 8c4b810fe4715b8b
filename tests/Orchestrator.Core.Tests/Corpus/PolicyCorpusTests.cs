using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Corpus;

/// <summary>Runs every case of every corpus file (tests/Orchestrator.Core.Tests/Corpus/*.json) through the evaluator.</summary>
public sealed class PolicyCorpusTests(PolicyCorpusTests.WorkspaceCache cache) : IClassFixture<PolicyCorpusTests.WorkspaceCache>
{
    private static readonly string Directory_ = Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>One built workspace per corpus file for the whole run, removed at the end.</summary>
    public sealed class WorkspaceCache : IDisposable
    {
        public ConcurrentDictionary<string, CorpusWorkspace> Workspaces { get; } = new();

        public void Dispose()
        {
            foreach (var w in Workspaces.Values) w.Dispose();
        }
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in Directory.GetFiles(Directory_, "*.json").Order(StringComparer.Ordinal))
            foreach (var c in Load(path).Cases)
                data.Add(Path.GetFileName(path), c.Name);
        return data;
    }

    [Fact]
    public void Corpus_holds_at_least_150_cases_with_unique_names()
    {
        var all = Directory.GetFiles(Directory_, "*.json").SelectMany(p => Load(p).Cases.Select(c => (Path.GetFileName(p), c.Name))).ToArray();
        Assert.True(all.Length >= 150, $"the corpus has {all.Length} cases");
        Assert.Equal(all.Length, all.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Corpus_case_gets_its_expected_verdict(string file, string caseName)
    {
        var workspace = cache.Workspaces.GetOrAdd(file, f => new CorpusWorkspace(Load(Path.Combine(Directory_, f))));
        var c = workspace.File.Cases.Single(x => x.Name == caseName);
        var snapshot = workspace.Snapshot(c.Mode ?? workspace.File.Mode, c.Approval ?? workspace.File.Approval, c.Network ?? workspace.File.Network);
        var call = BuildCall(workspace, c);

        var verdict = new PolicyEvaluator(snapshot).Evaluate(call, sandboxed: !c.Unsandboxed);

        var explanation = $"{c.Name}: got {verdict.Decision} [{verdict.ReasonClass.Name()}] {verdict.Reason}" +
                          (verdict.Rule is null ? "" : $" (rule {verdict.Rule.Text})") +
                          $"\n  findings:\n    {string.Join("\n    ", verdict.Findings)}" +
                          (snapshot.Errors.Count > 0 ? $"\n  policy errors: {string.Join("; ", snapshot.Errors)}" : "");
        Assert.True(Enum.Parse<Decision>(c.Expect, ignoreCase: true) == verdict.Decision, $"expected {c.Expect}; {explanation}");
        Assert.True(c.Reason == verdict.ReasonClass.Name(), $"expected reason {c.Reason}; {explanation}");
        if (c.Rule is not null) Assert.True(c.Rule == verdict.Rule?.Text, $"expected rule {c.Rule}; {explanation}");
    }

    private static ToolCall BuildCall(CorpusWorkspace w, CorpusCase c)
    {
        var input = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var (k, v) in c.Input) input[k] = w.Expand(v);
        if (c.Command is not null) input[ToolInputKeys.Command] = w.Expand(c.Command);
        if (c.Url is not null) input[ToolInputKeys.Url] = c.Url;
        if (c.Pattern is not null) input[ToolInputKeys.Pattern] = c.Pattern;
        if (c.Path is not null)
            input[c.Tool is ToolNames.Glob or ToolNames.Grep ? ToolInputKeys.Path : ToolInputKeys.FilePath] = w.Expand(c.Path);
        var cwd = c.Cwd is null ? w.Project : w.Resolve(c.Cwd);
        SandboxMode? requested = c.RequestMode is null ? null : Core.Policy.Settings.PermissionMode.Find(c.RequestMode)!.Sandbox;
        return ToolCall.Create(c.Tool, input.ToImmutable(), cwd, requested) with { RequestsEscalation = c.Escalate };
    }

    private static CorpusFile Load(string path) =>
        JsonSerializer.Deserialize<CorpusFile>(File.ReadAllText(path), CorpusFile.Json)
        ?? throw new InvalidDataException($"{path} is empty");
}
