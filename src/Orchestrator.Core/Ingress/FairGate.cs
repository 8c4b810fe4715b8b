using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Ingress;

/// <summary>
/// Admission with in-flight limits: submissions wait in a <see cref="FairAdmissionQueue{T}"/> and are taken, round-robin
/// across agents, only while fewer than <see cref="GlobalInFlight"/> are in flight in all and fewer than
/// <see cref="PerAgentInFlight"/> for their agent. An agent whose requests are slow (or hang until their timeout) holds
/// at most its own share, so the others are still taken at once. Thread-safe.
/// </summary>
public sealed class FairGate<T>
{
    private readonly object _lock = new();
    private readonly FairAdmissionQueue<T> _queue;
    private readonly Dictionary<AgentId, int> _inFlight = [];
    private int _total;

    public FairGate(int globalCapacity, int perAgentCapacity, double drainPerSecond, int globalInFlight, int perAgentInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(globalInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perAgentInFlight, 1);
        _queue = new FairAdmissionQueue<T>(globalCapacity, perAgentCapacity, drainPerSecond);
        GlobalInFlight = globalInFlight;
        PerAgentInFlight = perAgentInFlight;
    }

    public int GlobalInFlight { get; }
    public int PerAgentInFlight { get; }

    /// <summary>Submissions waiting to be taken.</summary>
    public int Queued => _queue.Count;

    public int InFlight
    {
        get { lock (_lock) return _total; }
    }

    public int InFlightFor(AgentId agent)
    {
        lock (_lock) return _inFlight.GetValueOrDefault(agent);
    }

    public AdmissionResult TryEnqueue(AgentId agent, T item) => _queue.TryEnqueue(agent, item);

    /// <summary>Takes the next submission that may start now (counting it in flight), if any.</summary>
    public bool TryTake(out AgentId agent, out T item)
    {
        lock (_lock)
        {
            if (_total >= GlobalInFlight || !_queue.TryDequeue(a => _inFlight.GetValueOrDefault(a) < PerAgentInFlight, out agent, out item))
            {
                agent = default;
                item = default!;
                return false;
            }
            _inFlight[agent] = _inFlight.GetValueOrDefault(agent) + 1;
            _total++;
            return true;
        }
    }

    /// <summary>A submission taken by <see cref="TryTake"/> is done.</summary>
    public void Release(AgentId agent)
    {
        lock (_lock)
        {
            if (!_inFlight.TryGetValue(agent, out var count)) return;
            if (count <= 1) _inFlight.Remove(agent);
            else _inFlight[agent] = count - 1;
            _total--;
        }
    }

    /// <summary>Removes every waiting submission (at shutdown).</summary>
    public IEnumerable<T> Drain()
    {
        while (_queue.TryDequeue(out _, out var item)) yield return item;
    }
}
