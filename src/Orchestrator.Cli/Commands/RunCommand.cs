using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using Orchestrator.Cli.Output;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;
using Orchestrator.Sandbox;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator run [--mode …] [--network off|on] [--workspace DIR] [--timeout S] [--explain] -- CMD ARGS…</c>:
/// judge the command with the policy, then run it under the platform sandbox and exit with its code. Orchestrator's
/// own refusals (policy deny, an ask nobody approved, a sandbox that cannot be applied, bad input) exit 125.
/// </summary>
internal static class RunCommand
{
    public const int Refused = 125;

    public static Command Create()
    {
        var command = new Command("run", "Run one command under the policy and the platform sandbox, then exit with its code (125: refused by Orchestrator)");
        var policy = new PolicyOptions();
        policy.AddTo(command);
        var workspace = new Option<string?>("--workspace") { Description = "Writable workspace (default: the current directory); also the project whose settings apply" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds before the command is killed (exit 124)", DefaultValueFactory = _ => 120 };
        var explain = new Option<bool>("--explain") { Description = "Print the verdict and the sandbox layers to stderr before running" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Approve a command the policy would ask about" };
        var maxOutput = new Option<int>("--max-output") { Description = "Bytes kept from the start and from the end of each stream", DefaultValueFactory = _ => 1024 * 1024 };
        var printLaunch = new Option<bool>("--print-launch") { Description = "Print the process Orchestrator would start (NUL-separated argv) instead of running it", Hidden = true };
        var memory = new Option<long?>("--memory") { Description = "Memory limit in bytes for the command and its children (cgroup; rlimit when no cgroup)" };
        var processes = new Option<int?>("--max-processes") { Description = "Process limit for the command and its children" };
        var argv = new Argument<string[]>("command") { Description = "The command and its arguments (after --)", Arity = ArgumentArity.OneOrMore };
        foreach (var option in new Option[] { workspace, timeout, explain, yes, maxOutput, memory, processes, printLaunch }) command.Options.Add(option);
        command.Arguments.Add(argv);
        command.SetAction((result, ct) => RunAsync(result, policy, result.GetValue(workspace), result.GetValue(timeout),
            result.GetValue(explain), result.GetValue(yes), result.GetValue(maxOutput), result.GetValue(argv) ?? [],
            Limits(result.GetValue(memory), result.GetValue(processes)), result.GetValue(printLaunch), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, PolicyOptions policyOptions, string? workspace, double timeoutSeconds,
        bool explain, bool approve, int maxOutput, string[] argv, ResourceLimits? limits, bool printLaunch, CancellationToken ct)
    {
        if (limits is null) return Fail("--memory must be at least 1 MiB and --max-processes at least 1", ExitCodes.BadInput);
        if (argv.Length == 0 || string.IsNullOrWhiteSpace(argv[0])) return Fail("no command given; usage: orchestrator run [options] -- CMD ARGS…", ExitCodes.BadInput);
        if (timeoutSeconds <= 0 || double.IsNaN(timeoutSeconds) || timeoutSeconds > 7 * 24 * 3600) return Fail("--timeout must be between 0 and 604800 seconds", ExitCodes.BadInput);
        if (maxOutput < 0) return Fail("--max-output must not be negative", ExitCodes.BadInput);

        var cwd = Directory.GetCurrentDirectory();
        var project = Path.GetFullPath(workspace ?? cwd);
        if (!Directory.Exists(project)) return Fail($"workspace {project} does not exist", ExitCodes.BadInput);

        var loadOptions = policyOptions.Build(result) with { ProjectDirectory = project };
        var policy = new PolicyCatalog(loadOptions).Default;
        var snapshot = policy.Snapshot;
        foreach (var e in snapshot.Errors) Console.Error.WriteLine($"orchestrator: policy error: {e} (failing closed)");

        var commandText = ShellQuoting.Join(argv);
        var call = ToolCall.Bash(commandText, cwd);
        var verdict = policy.Evaluator.Evaluate(call, sandboxed: snapshot.SandboxMode != SandboxMode.DangerFullAccess);
        if (explain) VerdictPrinter.PrintText(Console.Error, call, Server.CheckView.FromUnrecorded(
            new Actors.Checking.CheckedCall(call, verdict, Core.History.Events.VerdictSummary.From(verdict), [], null, null)), allFindings: false);

        if (verdict.ReasonClass == ReasonClass.InvalidInput) return Fail($"invalid input: {verdict.Reason}", ExitCodes.BadInput);
        if (verdict.Decision == Decision.Deny)
            return Fail($"denied: {verdict.ReasonClass.Name()} — {verdict.Reason}{RuleSuffix(verdict)}", Refused);
        if (verdict.Decision == Decision.Ask && !approve && !AskOnTerminal(verdict))
            return Fail($"needs approval: {verdict.ReasonClass.Name()} — {verdict.Reason}{RuleSuffix(verdict)}; pass --yes to approve", Refused);

        var network = snapshot.NetworkAccess == NetworkAccess.On ? NetworkAccess.On : NetworkAccess.Off;
        var profile = SandboxProfileFactory.FromPolicy(snapshot, verdict.Mode.Sandbox, network, limits);
        var sandbox = PlatformSandbox.ForThisMachine();
        var plan = sandbox.Plan(profile);
        if (explain) Console.Error.WriteLine($"  sandbox: {plan.Layers}");
        if (!plan.CanRun) return Fail($"cannot sandbox: {plan.RefusalReason}", Refused);

        var request = new CommandRequest(argv[0], [.. argv.Skip(1)], cwd)
        {
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            Output = new OutputLimits(maxOutput, maxOutput),
        };
        if (printLaunch && OperatingSystem.IsLinux() && sandbox is Sandbox.Linux.LinuxSandbox linux)
        {
            var benchTmp = Path.Combine(Path.GetTempPath(), "orchestrator-tmp-bench");
            Directory.CreateDirectory(benchTmp);
            var launch = linux.DescribeLaunch(request, profile, benchTmp);
            await using var stdout = Console.OpenStandardOutput();
            foreach (var arg in launch.Arguments.Prepend(launch.FileName))
                await stdout.WriteAsync(System.Text.Encoding.UTF8.GetBytes(arg + "\0"), ct).ConfigureAwait(false);
            return 0;
        }

        CommandResult run;
        try
        {
            run = await sandbox.RunAsync(request, profile, ct).ConfigureAwait(false);
        }
        catch (SandboxUnavailableException e)
        {
            return Fail($"cannot sandbox: {e.Message}", Refused);
        }

        foreach (var notice in run.Notices) Console.Error.WriteLine($"orchestrator: {notice}");
        if (run.SandboxFailure is { } failure) return Fail($"the sandbox failed to start the command: {failure}", Refused);
        await using (var stdout = Console.OpenStandardOutput()) await WriteCapturedAsync(stdout, run.Stdout).ConfigureAwait(false);
        await using (var stderr = Console.OpenStandardError()) await WriteCapturedAsync(stderr, run.Stderr).ConfigureAwait(false);
        foreach (var created in run.CreatedProtectedPaths)
            Console.Error.WriteLine($"orchestrator: the command created protected path {created.Path}; " +
                (created.MovedTo is { } to ? $"moved it into the quarantine: {to}" : created.Note));
        if (run.TimedOut) Console.Error.WriteLine($"orchestrator: timed out after {timeoutSeconds.ToString(CultureInfo.InvariantCulture)} s; the process group was killed");
        return run.ExitCode;
    }

    private static ResourceLimits? Limits(long? memory, int? processes)
    {
        if (memory is < 1024 * 1024 || processes is < 1) return null;
        var limits = ResourceLimits.Default;
        if (memory is { } m) limits = limits with { MaxMemoryBytes = m };
        if (processes is { } p) limits = limits with { MaxProcesses = p };
        return limits;
    }

    private static async Task WriteCapturedAsync(Stream target, CapturedOutput output)
    {
        await target.WriteAsync(output.Head).ConfigureAwait(false);
        if (output.Truncated)
        {
            var marker = System.Text.Encoding.UTF8.GetBytes($"\n[orchestrator: {output.TotalBytes - output.Head.LongLength - output.Tail.LongLength} bytes omitted, {output.TotalBytes} in all, sha256 {output.Sha256}]\n");
            await target.WriteAsync(marker).ConfigureAwait(false);
        }
        await target.WriteAsync(output.Tail).ConfigureAwait(false);
        await target.FlushAsync().ConfigureAwait(false);
    }

    private static bool AskOnTerminal(Verdict verdict)
    {
        if (Console.IsInputRedirected || Console.IsErrorRedirected) return false;
        Console.Error.Write($"orchestrator: {verdict.ReasonClass.Name()} — {verdict.Reason}. Run it? [y/N] ");
        var answer = Console.ReadLine();
        return answer is not null && answer.Trim().Equals("y", StringComparison.OrdinalIgnoreCase);
    }

    private static string RuleSuffix(Verdict verdict) =>
        verdict.Rule is { } rule ? $" (rule {rule.Text} at {rule.Origin.Layer.Name()} {rule.Origin.Location})" : "";

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"orchestrator: {message}");
        return code;
    }
}
