using System.Collections.Immutable;
using Akka.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Server.Tests;

/// <summary>What the ingress specs share: an ingress started over a registry, and a decide-only <c>ls</c> of an agent.</summary>
internal static class IngressFixtures
{
    public static async Task<Ingress> StartedAsync(ActorRegistry registry, Func<ServerOptions, ServerOptions> configure)
    {
        var ingress = new Ingress(configure(new ServerOptions(new PolicyLoadOptions("/tmp"))), registry);
        await ingress.StartAsync(CancellationToken.None);
        return ingress;
    }

    /// <summary>A decide-only <c>ls</c> by <paramref name="agent"/>, in a session of the same name.</summary>
    public static SubmitCall Submission(string agent, string id) => new(new ToolCall(new CallId(id), ToolNames.Bash,
        ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, "ls"), "/tmp", new AgentId(agent), new SessionId(agent)), CallIntent.DecideOnly);
}
