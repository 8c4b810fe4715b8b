using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Storage;
using Orchestrator.Cli.Output;
using Orchestrator.Core.Access;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Sandbox;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator run [options] -- CMD ARGS…</c>: one Bash call through the call pipeline, then exit with the
/// command's code. A single argument is a shell script (<c>run -- 'ls | wc -l'</c>); several are shell-quoted and
/// joined. With no server holding the data directory the pipeline is hosted here on it (<see cref="LocalPipeline"/>);
/// otherwise the call is forwarded to that server (<see cref="RunForwarding"/>). Either way it is recorded in the
/// history (its id is printed to stderr). Orchestrator's own refusals exit 125, a timeout 124.
/// </summary>
internal static class RunCommand
{
    public const int Refused = RunReport.Refused;

    /// <summary>The agent (and session) of the calls <c>run</c> submits when <c>--agent</c> names none.</summary>
    public const string DefaultAgent = "cli";

    public static Command Create()
    {
        var command = new Command("run", "Run one command through the call pipeline (policy, hooks, approval, sandbox; recorded in the history), then exit with its code (125: refused by Orchestrator)");
        var policy = new PolicyOptions();
        policy.AddTo(command);
        var client = new ClientOptions();
        client.AddTo(command);
        var workspace = new Option<string?>("--workspace") { Description = "Writable workspace (default: the current directory); also the project whose settings apply" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds before the command is killed (exit 124)", DefaultValueFactory = _ => 120 };
        var explain = new Option<bool>("--explain") { Description = "Print the verdict and the sandbox to stderr" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Approve a command the policy would ask about (as the local operator; recorded)" };
        var maxOutput = new Option<int?>("--max-output") { Description = "Bytes kept from the start and from the end of each stream (default 1 MiB)" };
        var printLaunch = new Option<bool>("--print-launch") { Description = "Print the process Orchestrator would start (NUL-separated argv) instead of running it", Hidden = true };
        var memory = new Option<long?>("--memory") { Description = "Memory limit in bytes for the command and its children (cgroup; rlimit when no cgroup)" };
        var processes = new Option<int?>("--max-processes") { Description = "Process limit for the command and its children" };
        var agent = new Option<string>("--agent") { Description = $"The agent the call is submitted as (its session has the same name; default {DefaultAgent})", DefaultValueFactory = _ => DefaultAgent };
        var argv = new Argument<string[]>("command") { Description = "The command (one argument: a shell script; several: a command and its arguments), after --", Arity = ArgumentArity.OneOrMore };
        foreach (var option in new Option[] { workspace, agent, timeout, explain, yes, maxOutput, memory, processes, printLaunch }) command.Options.Add(option);
        command.Arguments.Add(argv);
        command.SetAction((result, ct) =>
        {
            var request = new RunRequest(result.GetValue(argv) ?? [], result.GetValue(workspace), result.GetValue(timeout), result.GetValue(explain),
                result.GetValue(yes), result.GetValue(maxOutput), result.GetValue(memory), result.GetValue(processes)) { Agent = result.GetValue(agent)! };
            var limited = result.GetResult(maxOutput) is { Implicit: false } || result.GetResult(memory) is { Implicit: false } || result.GetResult(processes) is { Implicit: false };
            return RunAsync(result, policy, client, request, limited, result.GetValue(printLaunch), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, PolicyOptions policyOptions, ClientOptions client, RunRequest run, bool limited,
        bool printLaunch, CancellationToken ct)
    {
        if (run.Problem() is { } problem) return Fail(problem, ExitCodes.BadInput);
        var cwd = Directory.GetCurrentDirectory();
        var project = Path.GetFullPath(run.Workspace ?? cwd);
        if (!Directory.Exists(project)) return Fail($"workspace {project} does not exist", ExitCodes.BadInput);
        var policy = policyOptions.Build(result) with { ProjectDirectory = project };
        var data = Path.GetFullPath(result.GetValue(client.Data)!);
        var limits = run.Limits();
        if (printLaunch) return await PrintLaunchAsync(policy, data, run, limits, cwd, ct);

        // Another in-process run holds the data directory (it serves nothing to forward to): wait for it, like
        // agents whose calls queue for a slot, instead of refusing. A server announcing itself meanwhile takes the call.
        var waitUntil = DateTimeOffset.UtcNow + HolderWait;
        var toldWaiting = false;
        LocalPipeline pipeline;
        while (true)
        {
            if (client.ServerFor(result) is { } server)
            {
                if (policyOptions.Given(result) is { } local && local != "--project")
                    return Fail($"{local} applies to a run hosted here; the server at {server} judges with its own policy", ExitCodes.BadInput);
                if (limited || run.TimeoutSeconds > ExecutionPlanner.MaxTimeout.TotalSeconds)
                    return Fail($"--max-output, --memory, --max-processes and a --timeout over {ExecutionPlanner.MaxTimeout.TotalSeconds:0} s apply to a run hosted here; the server at {server} runs calls with its own bounds", ExitCodes.BadInput);
                return await RunForwarding.RunAsync(server, client.Credential(result), run, cwd, ct);
            }
            if (DataOption.Refusal(data, project) is { } refusal) return Fail(refusal, ExitCodes.BadInput);
            try
            {
                pipeline = await LocalPipeline.StartAsync(data, policy, PipelineFor(data, limits), ct);
                break;
            }
            catch (StartupRefusedException) when (HeldByAnotherRun(data) && DateTimeOffset.UtcNow < waitUntil)
            {
                if (!toldWaiting) Console.Error.WriteLine($"orchestrator: another run holds {data}; waiting for it (up to {HolderWait.TotalMinutes:0} min)");
                toldWaiting = true;
                await Task.Delay(HolderPoll, ct).ConfigureAwait(false);
            }
            catch (StartupRefusedException e)
            {
                return Fail($"cannot run here: {e.Message}", Refused);
            }
        }
        await using (pipeline)
        {
            foreach (var e in pipeline.Policy.Snapshot.Errors) Console.Error.WriteLine($"orchestrator: policy error: {e} (failing closed)");
            foreach (var line in await RunLeases.SettleAsync(data, pipeline.Sessions, ct)) Console.Error.WriteLine($"orchestrator: {line}");
            return await RunInProcessAsync(pipeline, run, cwd, data, ct);
        }
    }

    /// <summary>How long a run waits for another in-process run to release the data directory, and how often it looks.</summary>
    private static readonly TimeSpan HolderWait = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan HolderPoll = TimeSpan.FromMilliseconds(100);

    private static bool HeldByAnotherRun(string data) => DataDirectoryLock.Probe(data) is { Held: true, Server: null };

    private static PipelineOptions PipelineFor(string data, RunLimits limits) => PipelineOptions.Default with
    {
        // A run waits for nobody but the person at the terminal; it never stays pending after this process ends.
        PassivateAfter = null,
        RunLimits = limits,
        SandboxFor = _ => PlatformSandbox.ForThisMachine(data),
    };

    private static async Task<int> RunInProcessAsync(LocalPipeline pipeline, RunRequest run, string cwd, string data, CancellationToken ct)
    {
        var call = run.Call(cwd);
        var askTimeout = TimeSpan.FromSeconds(60);
        // Released once the call has ended; left behind if this process dies first (see RunLeases).
        var lease = RunLeases.Take(data, call);
        var answer = await pipeline.Sessions.Ask<object>(new SubmitCall(call, CallIntent.Execute), askTimeout, ct);
        if (answer is not CallAccepted accepted) return Fail($"the call was not accepted: {Describe(answer)}", Refused);
        Console.Error.WriteLine($"orchestrator: call {call.Id} (orchestrator history {call.Id})");
        var state = accepted.State;
        var explained = false;
        var answered = false;
        var finishBy = TimeSpan.FromSeconds(run.TimeoutSeconds) + askTimeout;
        CallSnapshot? snapshot = null;
        while (snapshot is null)
        {
            if (run.Explain && !explained && state.Decided is not null) explained = Explain(call, state);
            if (!answered && state.PendingApproval is { } pending)
            {
                answered = true;
                var approve = run.Yes || AskOnTerminal(pending);
                var reason = approve ? (run.Yes ? "approved with --yes" : "approved at the terminal") : "not approved (pass --yes, or answer y at a terminal)";
                await pipeline.Approvals.Ask<object>(new SubmitApprovalAnswer(
                    new ApprovalAnswer(pending.ApprovalId, approve, GrantScope.Once, reason, Principal.LocalUser.Name)), askTimeout, ct);
            }
            // Until the call is decided (its hooks may still run) an approval may yet be asked for: look again soon.
            var undecided = state.Status is Core.Lifecycle.CallStatus.New or Core.Lifecycle.CallStatus.Received;
            try
            {
                var done = await pipeline.Sessions.Ask<object>(new WatchCall(call.Session, call.Id), undecided ? DecisionPoll : finishBy, ct);
                snapshot = done as CallSnapshot ?? throw new InvalidOperationException($"the call did not finish: {Describe(done)}");
            }
            catch (AskTimeoutException) when (undecided)
            {
                if (await pipeline.Sessions.Ask<object>(new GetCall(call.Session, call.Id), askTimeout, ct) is CallSnapshot now) state = now.State;
            }
        }
        lease.Dispose();
        var report = RunReport.From(snapshot.State, snapshot.Output);
        // The layers recorded with ExecutionStarted: what the run's own plan said, not a second planning.
        if (run.Explain && report.Sandbox is { } sandbox) Console.Error.WriteLine($"  sandbox: {sandbox}");
        return await report.PrintAsync(run.TimeoutSeconds);
    }

    /// <summary>How often a call whose hooks still run is looked at, to answer an approval it may ask for.</summary>
    private static readonly TimeSpan DecisionPoll = TimeSpan.FromMilliseconds(200);

    private static bool Explain(ToolCall call, Core.Lifecycle.CallState state)
    {
        if (CheckView.FromRecorded(state) is not { } view) return false;
        VerdictPrinter.PrintText(Console.Error, call, view, allFindings: false);
        return true;
    }

    /// <summary>
    /// The exact launch line the pipeline's planner gives this call (<c>ops/bench</c>): judged by the workspace policy,
    /// planned by <see cref="ExecutionPlanner"/>, nothing run and nothing recorded.
    /// </summary>
    private static async Task<int> PrintLaunchAsync(PolicyLoadOptions policyOptions, string data, RunRequest run, RunLimits limits, string cwd, CancellationToken ct)
    {
        var policy = new Core.Policy.Workspaces.PolicyCatalog(OrchestratorServer.HidingDataDirectory(policyOptions, data)).Default;
        var call = run.Call(cwd);
        var verdict = policy.Evaluator.Evaluate(call, sandboxed: true);
        if (verdict.Decision == Decision.Deny || (verdict.Decision == Decision.Ask && !run.Yes))
            return Fail($"{verdict.Decision.ToString().ToLowerInvariant()}: {verdict.ReasonClass.Name()} — {verdict.Reason}", Refused);
        var sandbox = PlatformSandbox.ForThisMachine(data);
        if (ExecutionPlanner.Plan(call, verdict.Mode.Sandbox, verdict.Mode.Network, policy.Snapshot, sandbox, limits) is not ExecutionPlanOutcome.Planned planned)
            return Fail("cannot plan the run", Refused);
        if (!OperatingSystem.IsLinux() || sandbox is not Sandbox.Linux.LinuxSandbox linux) return Fail("--print-launch is for Linux", ExitCodes.BadInput);
        var benchTmp = Path.Combine(Path.GetTempPath(), "orchestrator-tmp-bench");
        Directory.CreateDirectory(benchTmp);
        var launch = linux.DescribeLaunch(planned.Plan.Request, planned.Plan.Profile, benchTmp);
        await using var stdout = Console.OpenStandardOutput();
        foreach (var arg in launch.Arguments.Prepend(launch.FileName))
            await stdout.WriteAsync(System.Text.Encoding.UTF8.GetBytes(arg + "\0"), ct).ConfigureAwait(false);
        return 0;
    }

    internal static bool AskOnTerminal(string reasonClass, string reason)
    {
        if (Console.IsInputRedirected || Console.IsErrorRedirected) return false;
        Console.Error.Write($"orchestrator: {Core.Text.DisplayText.Escape(reasonClass)} — {Core.Text.DisplayText.Escape(reason)}. Run it? [y/N] ");
        var answer = Console.ReadLine();
        return answer is not null && answer.Trim().Equals("y", StringComparison.OrdinalIgnoreCase);
    }

    private static bool AskOnTerminal(ApprovalRequested pending) => AskOnTerminal(pending.ReasonClass.Name(), pending.Reason);

    private static string Describe(object answer) => answer switch
    {
        CallNotAccepted n => n.Reason,
        SessionOwnedByAnotherAgent o => $"session {o.Session} belongs to agent {o.Owner}",
        _ => answer.GetType().Name,
    };

    internal static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"orchestrator: {message}");
        return code;
    }
}

/// <summary>What <c>orchestrator run</c> was asked to run, and how.</summary>
internal sealed record RunRequest(string[] Argv, string? Workspace, double TimeoutSeconds, bool Explain, bool Yes, int? MaxOutput,
    long? Memory, int? MaxProcesses)
{
    public const int DefaultMaxOutput = 1024 * 1024;

    /// <summary>The agent the call is submitted as; its session has the same name.</summary>
    public string Agent { get; init; } = RunCommand.DefaultAgent;

    /// <summary>One argument is a shell script, as a Bash call's command; several are quoted and joined into one.</summary>
    public string CommandText => Argv.Length == 1 ? Argv[0] : ShellQuoting.Join(Argv);

    public string? Problem()
    {
        if (IdSyntax.Problem("--agent", Agent) is { } agent) return agent;
        if (Memory is < 1024 * 1024 || MaxProcesses is < 1) return "--memory must be at least 1 MiB and --max-processes at least 1";
        if (Argv.Length == 0 || string.IsNullOrWhiteSpace(Argv[0])) return "no command given; usage: orchestrator run [options] -- CMD ARGS…";
        if (TimeoutSeconds <= 0 || double.IsNaN(TimeoutSeconds) || TimeoutSeconds > 7 * 24 * 3600) return "--timeout must be between 0 and 604800 seconds";
        if (MaxOutput < 0) return "--max-output must not be negative";
        return null;
    }

    public long TimeoutMilliseconds => Math.Max(1, (long)Math.Ceiling(TimeoutSeconds * 1000));

    public ToolCall Call(string cwd) => new(
        new CallId($"run-{Guid.NewGuid():n}"), ToolNames.Bash,
        ImmutableDictionary<string, string>.Empty
            .Add(ToolInputKeys.Command, CommandText)
            .Add(ExecutionPlanner.TimeoutInputKey, TimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)),
        cwd, new AgentId(Agent), new SessionId(Agent));

    public RunLimits Limits()
    {
        var resources = ResourceLimits.Default;
        if (Memory is { } m) resources = resources with { MaxMemoryBytes = m };
        if (MaxProcesses is { } p) resources = resources with { MaxProcesses = p };
        var output = MaxOutput ?? DefaultMaxOutput;
        return new RunLimits
        {
            Resources = resources,
            Output = new OutputLimits(output, output),
            MaxTimeout = TimeSpan.FromMilliseconds(Math.Max(TimeoutMilliseconds, (long)ExecutionPlanner.MaxTimeout.TotalMilliseconds)),
        };
    }
}
