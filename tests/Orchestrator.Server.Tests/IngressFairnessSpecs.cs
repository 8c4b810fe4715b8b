using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Server.Tests;

/// <summary>An agent whose submissions hang holds only its own share of the ingress; another agent is served at once.</summary>
public sealed class IngressFairnessSpecs : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("ingress-fairness");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _system.Terminate();

    /// <summary>A pipeline that never answers the agent "stuck" and answers everyone else at once.</summary>
    private sealed class Pipeline : ReceiveActor
    {
        public Pipeline() => Receive<SubmitCall>(msg =>
        {
            if (msg.Call.Agent.Value != "stuck") Sender.Tell(new CallAccepted(msg.Call.Id, CallState.New(msg.Call.Id)));
        });
    }

    private static SubmitCall Call(string agent, int i) => IngressFixtures.Submission(agent, $"{agent}-{i}");

    [Fact]
    public async Task Submissions_that_hang_fill_only_their_agents_share_and_another_agent_is_answered_at_once()
    {
        var registry = new ActorRegistry();
        registry.Register<SessionRouter>(_system.ActorOf(Props.Create(() => new Pipeline())));
        var ingress = await IngressFixtures.StartedAsync(registry, o => o with { Workers = 16, PerAgentWorkers = 8, AskTimeout = TimeSpan.FromMinutes(5) });
        try
        {
            var stuck = Enumerable.Range(0, 20).Select(i =>
            {
                Assert.True(ingress.TrySubmit(Call("stuck", i), out var reply, out _));
                return reply;
            }).ToList();

            Assert.True(ingress.TrySubmit(Call("polite", 0), out var answer, out _));
            // Answered long before any stuck submission could time out (5 minutes).
            Assert.IsType<CallAccepted>(await answer.WaitAsync(TimeSpan.FromSeconds(20)));
            // The stuck agent holds at most its 8 of the 16 workers; the rest of its submissions wait their turn.
            Assert.InRange(ingress.InFlight, 0, 8);
            Assert.InRange(ingress.Queued, 12, 20);
            Assert.All(stuck, t => Assert.False(t.IsCompleted));
        }
        finally
        {
            await ingress.StopAsync(CancellationToken.None);
        }
    }
}
