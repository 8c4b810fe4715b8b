using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>With the periodic recheck off, a workspace's settings are still seen to change: the stage watches what it loaded.</summary>
public sealed class PolicyWatchSpecs(ITestOutputHelper output) : PolicyReloadSpec(output, initialSettings: null)
{
    protected override PipelineOptions Pipeline => base.Pipeline with { PolicyRecheckInterval = null };

    [Fact]
    public async Task A_workspace_first_loaded_by_a_call_is_watched_so_a_change_is_seen_without_any_periodic_recheck()
    {
        var other = Directory.CreateDirectory(Path.Combine(Workspace.FullName, "other", ".orchestrator")).Parent!.FullName;
        var otherSettings = Path.Combine(other, ".orchestrator", "settings.json");
        File.WriteAllText(otherSettings, """{"permissions":{"allow":["Bash(npm run build)"]}}""");
        var loaded = CreateTestProbe();
        Sys.EventStream.Subscribe(loaded.Ref, typeof(PolicyLoaded));
        var sessions = await SessionsAsync();
        async Task<CallAccepted> Decide() => await sessions.Ask<CallAccepted>(
            new SubmitCall(Call("npm run build") with { Workspace = other }, CallIntent.DecideOnly), Patience);

        Assert.Equal(Decision.Allow, (await Decide()).State.Decision);
        await AwaitLoaded(loaded, l => l.Workspace == other);

        File.WriteAllText(otherSettings, """{"permissions":{"deny":["Bash(npm run build)"]}}""");
        var reloaded = await AwaitLoaded(loaded, l => l.Workspace == other && l.Sources.Any(s => s.Content?.Contains("deny", StringComparison.Ordinal) == true));

        var denied = await Decide();
        Assert.Equal(Decision.Deny, denied.State.Decision);
        Assert.Equal(reloaded.Version, denied.State.Decided!.Verdict.PolicyVersion);
    }
}
