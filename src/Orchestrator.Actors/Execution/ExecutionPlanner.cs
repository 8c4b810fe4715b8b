using System.Globalization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Sandbox;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// Turns a decided call into the exact command, profile and worker that will run it, or refuses. Bash runs in the
/// sandbox; a structured tool with an executor in <see cref="ToolExecutors"/> is planned onto it (<see cref="ToolPlan"/>,
/// under the same profile a Bash command would get); other tools are refused rather than pretended. A sandbox that cannot apply the profile refuses (fail
/// closed). danger-full-access is planned onto the <see cref="WorkerKind.None"/> worker, which still uses the platform
/// runner: on Linux that is the helper without Landlock/seccomp/bubblewrap but with a new session, the cgroup and the
/// timeout/output bounds (what <see cref="ICommandSandbox.Plan"/> reports for that mode).
/// </summary>
public static class ExecutionPlanner
{
    public const string TimeoutInputKey = "timeout";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(600);

    /// <summary>
    /// What is kept of each stream of a Bash call by default — the first and the last 32 KiB — and recorded with its end
    /// (<c>serve --max-output</c> and <see cref="RunLimits.Output"/> change it).
    /// </summary>
    public static readonly OutputLimits BashOutput = new(HeadBytes: 32 * 1024, TailBytes: 32 * 1024);

    private static readonly Lazy<string> Shell = new(() => File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh");

    public static ExecutionPlanOutcome Plan(ToolCall call, SandboxMode mode, NetworkAccess network, PolicySnapshot snapshot, ICommandSandbox sandbox,
        RunLimits? limits = null, ToolExecutors? tools = null, FileFacts? judgedFacts = null)
    {
        var maxTimeout = limits?.MaxTimeout ?? MaxTimeout;
        if (call.ToolName != ToolNames.Bash)
            return (tools ?? ToolExecutors.Standard).For(call.ToolName) is { } executor
                ? PlanTool(executor, call, mode, network, snapshot, sandbox, limits, judgedFacts)
                : Refuse($"tool {call.ToolName} has no executor yet; submit it with intent decide-only");
        if (call.InputValue(ToolInputKeys.Command) is not { } command || string.IsNullOrWhiteSpace(command))
            return Refuse("Bash call has no command");
        if (string.IsNullOrEmpty(call.WorkingDirectory) || !Path.IsPathFullyQualified(call.WorkingDirectory))
            return Refuse($"working directory '{call.WorkingDirectory}' is not an absolute path");
        if (ParseTimeout(call.InputValue(TimeoutInputKey), maxTimeout) is not { } timeout)
            return Refuse($"timeout '{call.InputValue(TimeoutInputKey)}' must be a whole number of milliseconds between 1 and {(long)maxTimeout.TotalMilliseconds}");

        // "ask" was for the approval step to settle; by execution time only an explicit "on" opens the network.
        var profile = SandboxProfileFactory.FromPolicy(snapshot, mode, network == NetworkAccess.On ? NetworkAccess.On : NetworkAccess.Off, limits?.Resources);
        var sandboxPlan = sandbox.Plan(profile);
        if (!sandboxPlan.CanRun)
            return Refuse($"cannot sandbox: {sandboxPlan.RefusalReason}");

        WorkerKind worker;
        if (mode == SandboxMode.DangerFullAccess) worker = WorkerKind.None;
        else if (WorkerKinds.ForSandboxKind(sandbox.Kind) is { } platform) worker = platform;
        else return Refuse($"no execution worker for sandbox kind '{sandbox.Kind}'");

        var request = new CommandRequest(Shell.Value, ["-c", command], call.WorkingDirectory)
        {
            Timeout = timeout,
            Output = limits?.Output ?? BashOutput,
        };
        return new ExecutionPlanOutcome.Planned(new ExecutionPlan(
            worker, sandboxPlan.Layers.Kind, ProfileDigest.Compute(request, profile), request, profile, sandboxPlan.Layers));
    }

    /// <summary>
    /// A structured call: its input checked by its executor, the profile a Bash command of the call would run under (the
    /// executor applies its writable roots, protected and hidden paths and mode), and its output bounded by the run's cap.
    /// </summary>
    private static ExecutionPlanOutcome PlanTool(IToolExecutor executor, ToolCall call, SandboxMode mode, NetworkAccess network,
        PolicySnapshot snapshot, ICommandSandbox sandbox, RunLimits? limits, FileFacts? judgedFacts)
    {
        var output = limits?.Output ?? BashOutput;
        var toolLimits = (limits?.Tools ?? ToolLimits.Default) with { MaxOutputBytes = output.HeadBytes + output.TailBytes };
        if (executor.Validate(call, toolLimits) is { } problem) return Refuse($"{call.ToolName}: {problem}");
        var profile = SandboxProfileFactory.FromPolicy(snapshot, mode, network == NetworkAccess.On ? NetworkAccess.On : NetworkAccess.Off, limits?.Resources);
        var run = new ToolRun(call, profile, snapshot, network, toolLimits, judgedFacts) { Sandbox = sandbox };
        return new ExecutionPlanOutcome.ToolPlanned(new ToolPlan(executor, run, ProfileDigest.Compute(call, profile, toolLimits)));
    }

    /// <summary>Claude Code's Bash <c>timeout</c>: milliseconds, at most 600,000; absent means 120 s.</summary>
    public static TimeSpan? ParseTimeout(string? text, TimeSpan? max = null)
    {
        if (text is null) return DefaultTimeout;
        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)) return null;
        if (milliseconds < 1 || milliseconds > (long)(max ?? MaxTimeout).TotalMilliseconds) return null;
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    private static ExecutionPlanOutcome.Refused Refuse(string reason) => new(reason);
}
