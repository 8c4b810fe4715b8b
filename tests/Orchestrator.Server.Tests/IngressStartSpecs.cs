using Akka.Actor;
using Akka.Actor.Dsl;
using Akka.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Server.Tests;

/// <summary>
/// A submission taken while the pipeline's supervisor has not yet registered its session router (it does so from its
/// own constructor, after the host has started) waits for it: a stdio MCP client sends its first call as soon as it is
/// connected, and on a loaded machine that call was refused "not ready" (a relayed prompt dropped, McpChannelRelayTests).
/// </summary>
public sealed class IngressStartSpecs : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("ingress-start");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _system.Terminate();

    private static SubmitCall Call(string id) => IngressFixtures.Submission("early", id);

    private static Task<Ingress> StartedAsync(ActorRegistry registry, TimeSpan askTimeout) =>
        IngressFixtures.StartedAsync(registry, o => o with { AskTimeout = askTimeout });

    [Fact]
    public async Task A_submission_made_before_the_session_router_is_registered_is_answered_once_it_is()
    {
        var registry = new ActorRegistry();
        var ingress = await StartedAsync(registry, TimeSpan.FromMinutes(5));
        try
        {
            Assert.True(ingress.TrySubmit(Call("first"), out var reply, out _));
            // Taken by the pump (which asks at once) while no router is registered: the case a fast client meets.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (ingress.Queued > 0 && DateTime.UtcNow < deadline) await Task.Yield();
            Assert.Equal(0, ingress.Queued);

            registry.Register<SessionRouter>(_system.ActorOf(act =>
                act.Receive<SubmitCall>((msg, context) => context.Sender.Tell(new CallAccepted(msg.Call.Id, CallState.New(msg.Call.Id))))));

            Assert.Equal(new CallId("first"), Assert.IsType<CallAccepted>(await reply.WaitAsync(TimeSpan.FromMinutes(1))).CallId);
        }
        finally
        {
            await ingress.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_pipeline_that_never_appears_fails_the_submission_as_not_ready_after_the_ask_timeout()
    {
        var ingress = await StartedAsync(new ActorRegistry(), TimeSpan.FromMilliseconds(200));
        try
        {
            Assert.True(ingress.TrySubmit(Call("orphan"), out var reply, out _));

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => reply.WaitAsync(TimeSpan.FromMinutes(1)));
            Assert.Equal("the call pipeline is not ready", refused.Message);
        }
        finally
        {
            await ingress.StopAsync(CancellationToken.None);
        }
    }
}
