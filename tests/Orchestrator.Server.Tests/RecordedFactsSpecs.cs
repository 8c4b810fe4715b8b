using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Actors.Serialization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Through the running pipeline: a call's recorded decision carries the filesystem facts it was judged on, and judging
/// the call again from the recorded facts gives the recorded verdict after a symlink in its path changed.
/// </summary>
public sealed class RecordedFactsSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_recorded_decision_carries_its_facts_and_is_judged_again_from_them_after_a_symlink_changed()
    {
        var inside = Directory.CreateDirectory(Path.Combine(_host.Project, "inside")).FullName;
        File.WriteAllText(Path.Combine(inside, "notes.txt"), "hello");
        var link = Path.Combine(_host.Project, "link");
        Directory.CreateSymbolicLink(link, inside);
        var submitted = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("cat link/notes.txt", id: "facts-1"));
        submitted.EnsureSuccessStatusCode();

        var history = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/calls/facts-1/events"));
        var recorded = history.GetProperty("events").EnumerateArray().Select(e => VerdictIn(e.GetProperty("event"))).Single(v => v is not null)!;
        var facts = recorded.Facts!;
        Assert.Contains(facts.Entries, f => f.Path == link && f is { Kind: FileFactKind.Link } && f.Target == inside);

        // The link now points into the home's SSH keys, which are never read without a rule naming them.
        var keys = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(_host.Project)!, ".ssh")).FullName;
        File.WriteAllText(Path.Combine(keys, "notes.txt"), "key");
        Directory.Delete(link);
        Directory.CreateSymbolicLink(link, keys);

        // The server's policy, built the way the server builds it (ServerHost's options, its data directory hidden).
        var shared = new PolicyLoadOptions(_host.Project)
        {
            HomeDirectory = Path.GetDirectoryName(_host.Project)!,
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            DenyRules = ["Bash(curl:*)"],
        };
        var data = Path.GetFullPath(_host.DataDirectory);
        var evaluator = new PolicyCatalog(shared with { DataDirectories = [.. shared.DataDirectoriesInUse.Where(d => d != data), data] }).Default.Evaluator;
        Assert.Equal(recorded.PolicyVersion, evaluator.Snapshot.Version);
        var call = ToolCall.Bash("cat link/notes.txt", _host.Project);
        var again = evaluator.Evaluate(call, recorded.Mode.Sandboxed, facts);
        Assert.True(again.IsDecided, again.UndecidableReason);
        Assert.Equal((recorded.Decision, recorded.ReasonClass, recorded.Reason), (again.Verdict!.Decision, again.Verdict.ReasonClass, again.Verdict.Reason));
        var live = evaluator.Evaluate(call, recorded.Mode.Sandboxed);
        Assert.Equal(Decision.Allow, recorded.Decision);
        Assert.Equal((Decision.Deny, ReasonClass.SensitivePath), (live.Decision, live.ReasonClass));
    }

    /// <summary>The recorded verdict inside a <c>call-decided</c> event, or inside the decision of a compacted one.</summary>
    private static VerdictSummary? VerdictIn(JsonElement e)
    {
        if (e.TryGetProperty("verdict", out var verdict)) return verdict.Deserialize<VerdictSummary>(EventJsonOptions.Default);
        return e.TryGetProperty("decided", out var decided) ? VerdictIn(decided) : null;
    }
}
