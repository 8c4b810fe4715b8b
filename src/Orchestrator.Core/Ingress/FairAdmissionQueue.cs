using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Ingress;

/// <summary>
/// A bounded queue that is fair across agents: each agent has its own FIFO (at most <see cref="PerAgentCapacity"/>
/// items), all together hold at most <see cref="GlobalCapacity"/>, and <see cref="TryDequeue"/> takes one item per
/// agent in turn, so a flooding agent fills only its own share and cannot starve the others. Every operation is O(1)
/// under one lock; safe to call from many threads.
/// </summary>
public sealed class FairAdmissionQueue<T>
{
    private static readonly TimeSpan MinimumRetryAfter = TimeSpan.FromMilliseconds(10);

    private readonly object _gate = new();
    private readonly Dictionary<AgentId, Queue<T>> _queues = [];
    // Agents with queued items, in the order they are served next.
    private readonly Queue<AgentId> _turns = new();
    private readonly double _drainPerSecond;
    private int _count;

    /// <param name="drainPerSecond">How many items per second the consumer is expected to take; used only for Retry-After.</param>
    public FairAdmissionQueue(int globalCapacity, int perAgentCapacity, double drainPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(globalCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perAgentCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(drainPerSecond);
        GlobalCapacity = globalCapacity;
        PerAgentCapacity = perAgentCapacity;
        _drainPerSecond = drainPerSecond;
    }

    public int GlobalCapacity { get; }
    public int PerAgentCapacity { get; }

    public int Count
    {
        get { lock (_gate) return _count; }
    }

    public int CountFor(AgentId agent)
    {
        lock (_gate) return _queues.TryGetValue(agent, out var queue) ? queue.Count : 0;
    }

    public AdmissionResult TryEnqueue(AgentId agent, T item)
    {
        lock (_gate)
        {
            _queues.TryGetValue(agent, out var queue);
            var agentDepth = queue?.Count ?? 0;
            if (agentDepth >= PerAgentCapacity)
            {
                // Round-robin gives this agent one slot in every round over the agents with work.
                var rounds = agentDepth * (double)Math.Max(_turns.Count, 1);
                return new AdmissionResult(AdmissionStatus.RejectedAgentFull, RetryAfter(Math.Min(rounds, _count)));
            }
            if (_count >= GlobalCapacity)
                return new AdmissionResult(AdmissionStatus.RejectedGlobalFull, RetryAfter(_count));

            if (queue is null)
            {
                queue = new Queue<T>();
                _queues[agent] = queue;
            }
            if (queue.Count == 0) _turns.Enqueue(agent);
            queue.Enqueue(item);
            _count++;
            return AdmissionResult.Admitted;
        }
    }

    public bool TryDequeue(out AgentId agent, out T item)
    {
        lock (_gate)
        {
            if (!_turns.TryDequeue(out agent))
            {
                item = default!;
                return false;
            }
            var queue = _queues[agent];
            item = queue.Dequeue();
            _count--;
            if (queue.Count > 0) _turns.Enqueue(agent);
            else _queues.Remove(agent);
            return true;
        }
    }

    /// <summary>
    /// Like <see cref="TryDequeue(out AgentId, out T)"/>, but only from an agent <paramref name="eligible"/> accepts; the
    /// agents passed over keep their turn order.
    /// </summary>
    public bool TryDequeue(Func<AgentId, bool> eligible, out AgentId agent, out T item)
    {
        lock (_gate)
        {
            for (var tries = _turns.Count; tries > 0; tries--)
            {
                agent = _turns.Dequeue();
                if (!eligible(agent))
                {
                    _turns.Enqueue(agent);
                    continue;
                }
                var queue = _queues[agent];
                item = queue.Dequeue();
                _count--;
                if (queue.Count > 0) _turns.Enqueue(agent);
                else _queues.Remove(agent);
                return true;
            }
            agent = default;
            item = default!;
            return false;
        }
    }

    private TimeSpan RetryAfter(double itemsAhead)
    {
        var wait = TimeSpan.FromSeconds(itemsAhead / _drainPerSecond);
        return wait < MinimumRetryAfter ? MinimumRetryAfter : wait;
    }
}
