using Akka.Actor;
using Orchestrator.Actors.Pipeline;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>Submissions racing a session's passivation are all answered: held by the router and replayed, or keeping the session.</summary>
public sealed class PassivationRaceSpecs(ITestOutputHelper output) : PassivationSpec(output)
{
    // The idle timer never fires by itself here: the spec delivers the session's ReceiveTimeout itself, at chosen moments.
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { PassivateAfter = TimeSpan.FromMinutes(10) };

    [Fact]
    public async Task Submissions_racing_a_passivation_are_all_answered()
    {
        for (var round = 0; round < 21; round++)
        {
            var session = await DecidedAsync("race-1"); // an idle incarnation with no passivation under way
            switch (round % 3)
            {
                case 0: // the submission arrives once the session has stopped
                    session.Tell(ReceiveTimeout.Instance);
                    await StoppedAsync(session);
                    Assert.NotEqual(session, await DecidedAsync("race-1"));
                    break;
                case 1: // the submission reaches the router after the session asked to passivate: it is held, then replayed
                    session.Tell(ReceiveTimeout.Instance);
                    await session.Ask<ActorIdentity>(new Identify(round), Patience); // the ask to passivate is on its way
                    Assert.NotEqual(session, await DecidedAsync("race-1"));
                    break;
                default: // the submission and the idle timer cross: the session stops after answering, or stays
                    var answered = DecidedAsync("race-1");
                    session.Tell(ReceiveTimeout.Instance);
                    await answered;
                    break;
            }
        }
    }
}
