using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Orchestrator.LoadBench;

/// <summary>
/// Counts the messages delivered to the pipeline's actors (everything under <c>/user/orchestrator</c>) while
/// <see cref="On"/>, by message type: the benchmark's "messages per call". Installed with <see cref="Hocon"/> as the
/// default and the deque-based (persistent actors) mailbox; re-deliveries from a stash are not counted.
/// </summary>
public static class MessageCounter
{
    public const string Hocon = """
        akka.actor.default-mailbox.mailbox-type = "Orchestrator.LoadBench.CountingMailbox, Orchestrator.LoadBench"
        akka.actor.mailbox.unbounded-deque-based.mailbox-type = "Orchestrator.LoadBench.CountingDequeMailbox, Orchestrator.LoadBench"
        """;

    private static readonly ConcurrentDictionary<Type, long> Counts = new();
    public static volatile bool On;

    public static void Reset() => Counts.Clear();

    public static void Add(object message)
    {
        if (On) Counts.AddOrUpdate(message.GetType(), 1, (_, n) => n + 1);
    }

    public static IReadOnlyDictionary<Type, long> Snapshot() => new Dictionary<Type, long>(Counts);

    /// <summary>
    /// Not messages between pipeline actors: the submitter's own requests (forwarded router → session), an actor's note
    /// to itself that a task ended, and the journal's (Akka.Persistence) answers. A watched actor's Terminated counts.
    /// </summary>
    public static bool IsBetweenPipelineActors(Type type) =>
        type.Name is not ("SubmitCall" or "WatchCall" or "ExecutionEnded") && !(type.Namespace ?? "").StartsWith("Akka.Persistence", StringComparison.Ordinal);

    internal static bool Counted(IActorRef? owner) =>
        owner is not null && owner.Path.ToStringWithoutAddress().StartsWith("/user/orchestrator", StringComparison.Ordinal);
}

public sealed class CountingMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<UnboundedMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) =>
        MessageCounter.Counted(owner) ? new CountingQueue(new UnboundedMessageQueue()) : new UnboundedMessageQueue();
}

public sealed class CountingDequeMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<UnboundedDequeMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) =>
        MessageCounter.Counted(owner) ? new CountingDequeQueue(new UnboundedDequeMessageQueue()) : new UnboundedDequeMessageQueue();
}

internal class CountingQueue(IMessageQueue inner) : IMessageQueue, IUnboundedMessageQueueSemantics
{
    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        MessageCounter.Add(envelope.Message);
        inner.Enqueue(receiver, envelope);
    }

    public bool TryDequeue(out Envelope envelope) => inner.TryDequeue(out envelope);
    public bool HasMessages => inner.HasMessages;
    public int Count => inner.Count;
    public void CleanUp(IActorRef owner, IMessageQueue deadletters) => inner.CleanUp(owner, deadletters);
}

internal sealed class CountingDequeQueue(UnboundedDequeMessageQueue inner) : CountingQueue(inner), IUnboundedDequeBasedMessageQueueSemantics
{
    public void EnqueueFirst(Envelope envelope) => inner.EnqueueFirst(envelope);
}
