using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Policies;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>The policy stage records each workspace's policy (PolicyLoaded) and reloads it when its settings change.</summary>
public sealed class PolicyReloadSpecs(ITestOutputHelper output) : PolicyReloadSpec(output, """{"permissions":{"allow":["Bash(npm run build)"]}}""")
{
    [Fact]
    public async Task A_changed_settings_file_is_recorded_and_judges_the_next_call_a_broken_one_denies_with_its_position_and_a_fixed_one_allows_again()
    {
        var loaded = CreateTestProbe();
        Sys.EventStream.Subscribe(loaded.Ref, typeof(PolicyLoaded));
        var sessions = await SessionsAsync();
        async Task<CallAccepted> Decide(string command) =>
            await sessions.Ask<CallAccepted>(new SubmitCall(Call(command), CallIntent.DecideOnly), Patience);

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
}
