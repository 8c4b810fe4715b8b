namespace Orchestrator.Actors.Execution;

/// <summary>The execution workers under the sandbox supervisor: one per platform sandbox, plus one for unconfined runs.</summary>
public enum WorkerKind
{
    Linux,
    MacOS,
    Windows,
    /// <summary>Runs danger-full-access calls: the platform runner without confinement layers.</summary>
    None,
}

public static class WorkerKinds
{
    /// <summary>The actor name of the worker (and of its backoff supervisor): <c>linux</c>, <c>macos</c>, <c>windows</c>, <c>none</c>.</summary>
    public static string ActorName(this WorkerKind kind) => kind switch
    {
        WorkerKind.Linux => "linux",
        WorkerKind.MacOS => "macos",
        WorkerKind.Windows => "windows",
        WorkerKind.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The platform worker of this operating system (if it has one) and the unconfined worker.</summary>
    public static IReadOnlyList<WorkerKind> ForThisMachine()
    {
        var kinds = new List<WorkerKind>();
        if (OperatingSystem.IsLinux()) kinds.Add(WorkerKind.Linux);
        else if (OperatingSystem.IsMacOS()) kinds.Add(WorkerKind.MacOS);
        else if (OperatingSystem.IsWindows()) kinds.Add(WorkerKind.Windows);
        kinds.Add(WorkerKind.None);
        return kinds;
    }

    /// <summary>The platform worker for a sandbox, read from its <see cref="Orchestrator.Sandbox.ICommandSandbox.Kind"/> (<c>linux-bwrap</c>, <c>macos</c>, …).</summary>
    public static WorkerKind? ForSandboxKind(string sandboxKind) =>
        sandboxKind.StartsWith("linux", StringComparison.Ordinal) ? WorkerKind.Linux
        : sandboxKind.StartsWith("macos", StringComparison.Ordinal) ? WorkerKind.MacOS
        : sandboxKind.StartsWith("windows", StringComparison.Ordinal) ? WorkerKind.Windows
        : null;
}
