using System.Globalization;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// A cgroup (v1: one directory per controller) made for one command: pids and memory limits, membership given to the
/// sandbox helper, and a kill that reaches processes which left the process group. Created below the cgroup this
/// process is in, so limits nest under whatever contains us. An empty group is given back to a <see cref="CgroupPool"/>
/// for the next run with the same limits instead of being removed.
/// </summary>
public sealed class CommandCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";
    private readonly IReadOnlyList<string> _directories;
    private readonly ResourceLimits _limits;
    private readonly CgroupPool _pool;
    /// <summary>The group's OOM kills before this run: a reused group's count cannot be reset; a new group's is 0.</summary>
    private readonly long _oomKillsBefore;

    private CommandCgroup(IReadOnlyList<string> directories, ResourceLimits limits, CgroupPool pool, bool reused)
    {
        _directories = directories;
        _limits = limits;
        _pool = pool;
        _oomKillsBefore = reused ? OomKills() : 0;
    }

    /// <summary>Controller directories the helper must join (it writes its pid to each).</summary>
    public IReadOnlyList<string> Directories => _directories;

    /// <summary>
    /// The name of a group for one command: this process's pid first, so groups left by a process that died (a crash)
    /// are recognised and removed (<see cref="RemoveLeftovers"/>) without touching those of processes still running.
    /// </summary>
    public static string NameFor(string id) => $"{Environment.ProcessId}-{id}";

    /// <summary>Kills what is left in the groups of processes that are gone (a crash) and removes the groups.</summary>
    public static void RemoveLeftovers()
    {
        foreach (var controller in new[] { "pids", "memory", "freezer" })
        {
            var mount = Path.Combine(Root, controller);
            if (!Directory.Exists(mount)) continue;
            var parent = Path.Combine(mount, CurrentPath(controller).TrimStart('/'), "orchestrator");
            IEnumerable<string> groups;
            try { groups = Directory.EnumerateDirectories(parent).ToArray(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var group in groups)
            {
                var name = Path.GetFileName(group);
                var dash = name.IndexOf('-');
                if (dash > 0 && int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
                {
                    foreach (var member in Members(group)) NativeSignals.KillProcess(member);
                    for (var attempt = 0; attempt < 20 && !TryRemove(group); attempt++) Thread.Sleep(5);
                }
            }
        }
    }

    /// <summary>A cgroup with the limits, or null and why when none can be made here (not root, no v1 controllers).</summary>
    public static CommandCgroup? TryCreate(ResourceLimits limits, string name, out string? whyNot) =>
        TryCreate(limits, name, CgroupPool.Shared, out whyNot);

    /// <summary>An idle group of <paramref name="pool"/> with the same limits, else a new one named <paramref name="name"/>.</summary>
    public static CommandCgroup? TryCreate(ResourceLimits limits, string name, CgroupPool pool, out string? whyNot)
    {
        whyNot = null;
        if (pool.TryTake(limits) is { } idle) return new CommandCgroup(idle, limits, pool, reused: true);
        var made = new List<string>();
        try
        {
            var pids = MakeGroup("pids", name);
            var memory = MakeGroup("memory", name);
            if (pids is null && memory is null)
            {
                whyNot = "no writable cgroup v1 pids or memory controller (cgroups need root here)";
                return null;
            }
            if (pids is not null)
            {
                made.Add(pids);
                File.WriteAllText(Path.Combine(pids, "pids.max"), limits.MaxProcesses.ToString(CultureInfo.InvariantCulture));
            }
            if (memory is not null)
            {
                made.Add(memory);
                var bytes = limits.MaxMemoryBytes.ToString(CultureInfo.InvariantCulture);
                File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), bytes);
                var swap = Path.Combine(memory, "memory.memsw.limit_in_bytes");
                if (File.Exists(swap)) File.WriteAllText(swap, bytes);
            }
            if (MakeGroup("freezer", name) is { } freezer) made.Add(freezer);
            return new CommandCgroup(made, limits, pool, reused: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var dir in made) TryRemove(dir);
            whyNot = $"cannot set up a cgroup: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// True when the kernel killed a process of this run for reaching the group's memory limit (the group's
    /// <c>oom_kill</c> count rose; a kernel before 4.13 keeps no such count, and this stays false there).
    /// </summary>
    public bool KilledForMemory => OomKills() > _oomKillsBefore;

    private string? MemoryDirectory => _directories.FirstOrDefault(d => d.Contains("/memory/", StringComparison.Ordinal));

    /// <summary>The <c>oom_kill</c> count of the group's <c>memory.oom_control</c> (0 when there is none).</summary>
    private long OomKills()
    {
        if (MemoryDirectory is not { } memory || !File.Exists(Path.Combine(memory, "memory.oom_control"))) return 0;
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(memory, "memory.oom_control")))
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && long.TryParse(line["oom_kill ".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    return n;
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>The memory controller's counters of one run: fail counts and peaks, with and without swap.</summary>
    private static readonly string[] MemoryCounters = ["memory.failcnt", "memory.max_usage_in_bytes", "memory.memsw.failcnt", "memory.memsw.max_usage_in_bytes"];

    /// <summary>
    /// Kills every process in the group: freeze (so nothing forks while we kill), SIGKILL all, thaw. An empty group is
    /// left alone: nothing in it can fork, and each v1 freeze and thaw flips a kernel-wide switch.
    /// </summary>
    public void KillAll()
    {
        if (IsEmpty) return;
        var freezer = _directories.FirstOrDefault(d => d.Contains("/freezer/", StringComparison.Ordinal));
        TryWrite(freezer, "freezer.state", "FROZEN");
        for (var round = 0; round < 20; round++)
        {
            var any = false;
            foreach (var dir in _directories)
                foreach (var pid in Members(dir))
                {
                    any = true;
                    _ = NativeSignals.KillProcess(pid);
                }
            TryWrite(freezer, "freezer.state", "THAWED");
            if (!any) return;
            Thread.Sleep(5);
            TryWrite(freezer, "freezer.state", "FROZEN");
        }
        TryWrite(freezer, "freezer.state", "THAWED");
    }

    private bool IsEmpty => _directories.All(dir => !Members(dir).Any());

    /// <summary>Kills what is left, then gives the group back to the pool when it is empty and reset (<see cref="Reset"/>), else removes it.</summary>
    public void Dispose()
    {
        KillAll();
        if (IsEmpty && Reset() && _pool.TryGiveBack(_limits, _directories)) return;
        Remove(_directories);
    }

    /// <summary>Removes the directories of a group (retrying while the last processes leave it).</summary>
    internal static void Remove(IEnumerable<string> directories)
    {
        foreach (var dir in directories)
            for (var attempt = 0; attempt < 50 && Directory.Exists(dir); attempt++)
            {
                if (TryRemove(dir)) break;
                Thread.Sleep(10);
            }
    }

    /// <summary>What a reclaimed group may still hold and be reused: kernel objects (tens of KiB measured here) stay charged.</summary>
    internal const long MaxResidueBytes = 1024 * 1024;

    /// <summary>
    /// Makes the group as a fresh one would be, or says it cannot: what one run counted (the memory controller's fail
    /// counts and peaks) must not be read as the next run's, and memory it left charged to the group (a tmpfs file, its
    /// page cache) must not count against the next run's limit — another agent's run could be killed for it. Charged
    /// memory is reclaimed (<c>memory.force_empty</c>); a group still holding more than <see cref="MaxResidueBytes"/>
    /// (a tmpfs file is not reclaimable) is removed instead, which hands the charge to the parent as before. (The OOM
    /// kill count cannot be reset: the next run counts from where it stands.)
    /// </summary>
    private bool Reset()
    {
        if (MemoryDirectory is not { } memory) return true;
        try
        {
            foreach (var counter in MemoryCounters)
                if (File.Exists(Path.Combine(memory, counter))) File.WriteAllText(Path.Combine(memory, counter), "0");
            var usage = Path.Combine(memory, "memory.usage_in_bytes");
            if (!File.Exists(usage)) return false;
            File.WriteAllText(Path.Combine(memory, "memory.force_empty"), "0");
            return long.TryParse(File.ReadAllText(usage).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var left) && left <= MaxResidueBytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static IEnumerable<int> Members(string dir)
    {
        string text;
        try { text = File.ReadAllText(Path.Combine(dir, "cgroup.procs")); }
        catch (IOException) { yield break; }
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) yield return pid;
    }

    private static string? MakeGroup(string controller, string name)
    {
        var mount = Path.Combine(Root, controller);
        if (!Directory.Exists(mount) || !File.Exists(Path.Combine(mount, "cgroup.procs"))) return null;
        var parent = Path.Combine(mount, CurrentPath(controller).TrimStart('/'));
        var dir = Path.Combine(parent, "orchestrator", name);
        try
        {
            Directory.CreateDirectory(dir);
            return File.Exists(Path.Combine(dir, "cgroup.procs")) ? dir : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>This process's cgroup path for a v1 controller, from /proc/self/cgroup ("4:memory:/a/b").</summary>
    private static string CurrentPath(string controller)
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains(controller)) return parts[2];
        }
        return "/";
    }

    private static void TryWrite(string? dir, string file, string value)
    {
        if (dir is null) return;
        try { File.WriteAllText(Path.Combine(dir, file), value); }
        catch (IOException) { }
    }

    private static bool TryRemove(string dir)
    {
        try
        {
            Directory.Delete(dir);
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
