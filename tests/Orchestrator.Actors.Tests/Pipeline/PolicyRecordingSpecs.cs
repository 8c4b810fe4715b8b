using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Serialization;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>The PolicyLoaded the policy stage records is enough to rebuild that policy, without the settings files.</summary>
public sealed class PolicyRecordingSpecs(ITestOutputHelper output)
    : PolicyReloadSpec(output, """{"permissions":{"deny":["Bash(make deploy)"],"allow":["Bash(npm run build)"]}}""")
{
    [Fact]
    public async Task The_recorded_PolicyLoaded_rebuilds_the_policy_that_judged_the_call()
    {
        await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(Call("ls"), CallIntent.DecideOnly), Patience);
        var row = Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "policy-loaded.v1");
        Directory.Delete(Path.GetDirectoryName(Settings)!, recursive: true);

        var stored = JsonSerializer.Deserialize<PolicyLoaded>(SealedEventSerializer.EventBytes(row.Payload), EventJsonOptions.Default)!;
        var rebuilt = WorkspacePolicy.Rebuild(stored);

        Assert.Equal(stored.Version, rebuilt.Version);
        Assert.Equal(Decision.Deny, rebuilt.Evaluator.Evaluate(Call("make deploy")).Decision);
        Assert.Equal(Decision.Allow, rebuilt.Evaluator.Evaluate(Call("npm run build")).Decision);
    }
}
