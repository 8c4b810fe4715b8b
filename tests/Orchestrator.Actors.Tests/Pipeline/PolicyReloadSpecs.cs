using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Policies;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>The policy stage records each workspace's policy (PolicyLoaded) and reloads it when its settings change.</summary>
public sealed class PolicyReloadSpecs(ITestOutputHelper output) : SqliteWorkspaceSpec(output, "orchestrator-policy-reload-")
{
    private string Settings => Path.Combine(Workspace.FullName, ".orchestrator", "settings.json");

    private PolicyCatalog Catalog() => new(new PolicyLoadOptions(Workspace.FullName)
    {
        HomeDirectory = Path.Combine(Workspace.FullName, "home"),
        ManagedSettingsPath = null,
        UserSettingsPath = null,
    });

    private ToolCall Call(string command) =>
        new(new CallId(Guid.NewGuid().ToString("n")), ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command),
            Workspace.FullName, new AgentId("agent-1"), new SessionId("reload"));

    private void WriteSettings(string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Settings)!);
        File.WriteAllText(Settings, json);
    }

    [Fact]
    public async Task A_changed_settings_file_is_recorded_and_judges_the_next_call_a_broken_one_denies_with_its_position_and_a_fixed_one_allows_again()
    {
        WriteSettings("""{"permissions":{"allow":["Bash(npm run build)"]}}""");
        var loaded = CreateTestProbe();
        Sys.EventStream.Subscribe(loaded.Ref, typeof(PolicyLoaded));
        await using var host = await PipelineTestHost.StartAsync(Backend.Options, Catalog(), PipelineOptions.Default with { Execute = false });
        async Task<CallAccepted> Decide(string command) =>
            await host.Sessions.Ask<CallAccepted>(new SubmitCall(Call(command), Core.History.Events.CallIntent.DecideOnly), Patience);
        host.System.EventStream.Subscribe(loaded.Ref, typeof(PolicyLoaded));

        var allowed = await Decide("npm run build");
        Assert.Equal(Decision.Allow, allowed.State.Decision);

        WriteSettings("""{"permissions":{"deny":["Bash(npm run build)"]}}""");
        var denyingPolicy = await AwaitLoaded(loaded, l => !l.FailedClosed && l.Sources.Any(s => s.Content?.Contains("deny", StringComparison.Ordinal) == true));
        var denied = await Decide("npm run build");
        Assert.Equal(Decision.Deny, denied.State.Decision);
        Assert.Equal(denyingPolicy.Version, denied.State.Decided!.Verdict.PolicyVersion);

        WriteSettings("{\n  \"permissions\": {\"allow\": [\"Bash(npm run build)\"]\n}");
        var broken = await AwaitLoaded(loaded, l => l.FailedClosed);
        var brokenCall = await Decide("npm run build");
        Assert.Equal(Decision.Deny, brokenCall.State.Decision);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(Settings)}:\d+:\d+: ", Assert.Single(broken.Errors));
        Assert.Equal(broken.Version, brokenCall.State.Decided!.Verdict.PolicyVersion);

        WriteSettings("""{"permissions":{"allow":["Bash(npm run build)"]}}""");
        await AwaitLoaded(loaded, l => !l.FailedClosed && l.Version == allowed.State.Decided!.Verdict.PolicyVersion);
        Assert.Equal(Decision.Allow, (await Decide("npm run build")).State.Decision);

        // Each version was recorded once, in the workspace's own stream, in order.
        var recorded = Backend.ReadJournalRows().Where(r => r.Manifest == "policy-loaded.v1").ToArray();
        Assert.All(recorded, r => Assert.Equal(PolicyRecorder.PersistenceIdFor(Workspace.FullName), r.PersistenceId));
        Assert.Equal(4, recorded.Length);
    }

    [Fact]
    public async Task A_workspace_first_loaded_by_a_call_is_watched_so_a_change_is_seen_without_any_periodic_recheck()
    {
        var other = Directory.CreateDirectory(Path.Combine(Workspace.FullName, "other", ".orchestrator")).Parent!.FullName;
        var otherSettings = Path.Combine(other, ".orchestrator", "settings.json");
        File.WriteAllText(otherSettings, """{"permissions":{"allow":["Bash(npm run build)"]}}""");
        var loaded = CreateTestProbe();
        await using var host = await PipelineTestHost.StartAsync(Backend.Options, Catalog(),
            PipelineOptions.Default with { Execute = false, PolicyRecheckInterval = null });
        host.System.EventStream.Subscribe(loaded.Ref, typeof(PolicyLoaded));
        async Task<CallAccepted> Decide() => await host.Sessions.Ask<CallAccepted>(
            new SubmitCall(Call("npm run build") with { Workspace = other }, Core.History.Events.CallIntent.DecideOnly), Patience);

        Assert.Equal(Decision.Allow, (await Decide()).State.Decision);
        await AwaitLoaded(loaded, l => l.Workspace == other);

        File.WriteAllText(otherSettings, """{"permissions":{"deny":["Bash(npm run build)"]}}""");
        var reloaded = await AwaitLoaded(loaded, l => l.Workspace == other && l.Sources.Any(s => s.Content?.Contains("deny", StringComparison.Ordinal) == true));

        var denied = await Decide();
        Assert.Equal(Decision.Deny, denied.State.Decision);
        Assert.Equal(reloaded.Version, denied.State.Decided!.Verdict.PolicyVersion);
    }

    [Fact]
    public async Task The_recorded_PolicyLoaded_rebuilds_the_policy_that_judged_the_call()
    {
        WriteSettings("""{"permissions":{"deny":["Bash(make deploy)"],"allow":["Bash(npm run build)"]}}""");
        await using (var host = await PipelineTestHost.StartAsync(Backend.Options, Catalog(), PipelineOptions.Default with { Execute = false }))
            await host.Sessions.Ask<CallAccepted>(new SubmitCall(Call("ls"), Core.History.Events.CallIntent.DecideOnly), Patience);
        Directory.Delete(Path.GetDirectoryName(Settings)!, recursive: true);

        var row = Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "policy-loaded.v1");
        var stored = JsonSerializer.Deserialize<PolicyLoaded>(SealedEventSerializer.EventBytes(row.Payload), EventJsonOptions.Default)!;
        var rebuilt = WorkspacePolicy.Rebuild(stored);

        Assert.Equal(stored.Version, rebuilt.Version);
        Assert.Equal(Decision.Deny, rebuilt.Evaluator.Evaluate(Call("make deploy")).Decision);
        Assert.Equal(Decision.Allow, rebuilt.Evaluator.Evaluate(Call("npm run build")).Decision);
    }

    private static async Task<PolicyLoaded> AwaitLoaded(Akka.TestKit.TestProbe probe, Func<PolicyLoaded, bool> wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var loaded = await probe.ExpectMsgAsync<PolicyLoaded>(deadline - DateTime.UtcNow);
            if (wanted(loaded)) return loaded;
        }
    }
}
