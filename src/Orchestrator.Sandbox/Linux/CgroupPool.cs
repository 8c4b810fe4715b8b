namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// Empty command cgroups of this process, kept for the next run with the same limits. Making and removing a v1 group
/// (three controllers) takes the kernel's one cgroup mutex six times a run and the parent directory's lock with it:
/// measured under load, runs spent more time waiting for those locks than for anything else (BENCHMARKS.md,
/// "Sandboxed runs and approvals through the API"). A group comes back only when it is empty and its counters are
/// reset; the idle ones are removed when the process exits (and, after a crash, by
/// <see cref="CommandCgroup.RemoveLeftovers"/> at the next start, since their names carry this process's id).
/// </summary>
public sealed class CgroupPool
{
    /// <summary>The pool of this process's sandbox.</summary>
    public static readonly CgroupPool Shared = new(capacity: 64, removeAtExit: true);

    private readonly object _lock = new();
    private readonly Dictionary<(int Processes, long MemoryBytes), Stack<IReadOnlyList<string>>> _idle = [];
    private int _count;

    /// <param name="capacity">Idle groups kept at most; one given back beyond it is removed.</param>
    /// <param name="removeAtExit">Remove the idle groups when the process exits.</param>
    public CgroupPool(int capacity, bool removeAtExit = false)
    {
        Capacity = Math.Max(0, capacity);
        if (removeAtExit) AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveIdle();
    }

    public int Capacity { get; }

    public int IdleCount
    {
        get { lock (_lock) return _count; }
    }

    /// <summary>An idle group made with <paramref name="limits"/> (its controller directories), or null.</summary>
    public IReadOnlyList<string>? TryTake(ResourceLimits limits)
    {
        while (true)
        {
            IReadOnlyList<string> directories;
            lock (_lock)
            {
                if (!_idle.TryGetValue(Key(limits), out var stack) || !stack.TryPop(out directories!)) return null;
                _count--;
            }
            if (directories.All(Directory.Exists)) return directories;
            CommandCgroup.Remove(directories); // gone from under us: never hand out half a group
        }
    }

    /// <summary>Keeps an empty group for the next run with the same limits; false when the pool is full.</summary>
    public bool TryGiveBack(ResourceLimits limits, IReadOnlyList<string> directories)
    {
        lock (_lock)
        {
            if (_count >= Capacity) return false;
            if (!_idle.TryGetValue(Key(limits), out var stack)) _idle[Key(limits)] = stack = new Stack<IReadOnlyList<string>>();
            stack.Push(directories);
            _count++;
            return true;
        }
    }

    /// <summary>Removes every idle group (the process is leaving).</summary>
    public void RemoveIdle()
    {
        List<IReadOnlyList<string>> all;
        lock (_lock)
        {
            all = [.. _idle.Values.SelectMany(s => s)];
            _idle.Clear();
            _count = 0;
        }
        foreach (var directories in all) CommandCgroup.Remove(directories);
    }

    private static (int, long) Key(ResourceLimits limits) => (limits.MaxProcesses, limits.MaxMemoryBytes);
}
