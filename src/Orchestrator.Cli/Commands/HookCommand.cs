using System.CommandLine;
using System.Text.Json;
using Orchestrator.Core.Adapters;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator hook claude-code</c>: a Claude Code hook command for <c>PreToolUse</c>, <c>PermissionRequest</c> and
/// <c>PostToolUse</c>. It reads the hook input on stdin, submits it as a decide-only call (recorded with the Claude
/// Code session and subagent) to the server holding <c>--data</c> (or <c>--server</c>), or to a pipeline hosted here
/// when none does, and prints the answer Claude Code reads (<see cref="ClaudeCodeHookAnswer"/>), exit 0. When it
/// cannot decide — unreadable input, a server that does not answer — it exits 2 with the reason on stderr, which
/// Claude Code takes as a deny (fail closed). <c>orchestrator hook install claude-code</c> writes the entries.
/// <c>orchestrator hook codex</c> is the same adapter for Codex, whose hooks read and answer the same JSON shapes
/// (README "Codex hooks"); <c>hook install codex</c> writes them into <c>.codex/hooks.json</c>.
/// </summary>
internal static class HookCommand
{
    /// <summary>Exit code for "cannot decide": Claude Code blocks the tool and shows stderr.</summary>
    public const int CannotDecide = HookOutcomeParser.DenyExitCode;

    public static Command Create()
    {
        var command = new Command("hook", "Answer agents' hooks from Orchestrator's pipeline (Claude Code, Codex)");
        command.Subcommands.Add(Adapter(ClaudeCodeAgent, "A Claude Code PreToolUse/PermissionRequest/PostToolUse hook: reads the hook JSON on stdin, prints Claude Code's answer (exit 0); exit 2 with the reason on stderr when it cannot decide"));
        command.Subcommands.Add(Adapter(CodexAgent, "A Codex PreToolUse/PermissionRequest/PostToolUse hook (Codex's hooks take Claude Code's shape): the same adapter as claude-code"));
        var install = new Command("install", "Install Orchestrator as an agent's hook");
        install.Subcommands.Add(HookInstallCommand.Create(ClaudeCodeAgent));
        install.Subcommands.Add(HookInstallCommand.Create(CodexAgent));
        command.Subcommands.Add(install);
        return command;
    }

    public const string ClaudeCodeAgent = "claude-code", CodexAgent = "codex";

    private static Command Adapter(string name, string description)
    {
        var command = new Command(name, description);
        var policy = new PolicyOptions();
        var client = new ClientOptions();
        var agent = new Option<string>("--agent") { Description = $"The agent the calls are recorded as (default {ClaudeCodeHookCall.DefaultAgent}; an agent token's own agent)", DefaultValueFactory = _ => ClaudeCodeHookCall.DefaultAgent };
        policy.AddTo(command);
        client.AddTo(command);
        command.Options.Add(agent);
        command.SetAction(async (result, ct) =>
        {
            try
            {
                return await DecideAsync(result, policy, client, result.GetValue(agent)!, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return CannotDecideBecause($"internal error: {e.Message}");
            }
        });
        return command;
    }

    private static async Task<int> DecideAsync(ParseResult result, PolicyOptions policyOptions, ClientOptions client, string agentName, CancellationToken ct)
    {
        if (IdSyntax.Problem("--agent", agentName) is { } badAgent) return CannotDecideBecause(badAgent);
        var (input, problem) = ClaudeCodeHookInput.Parse(await ReadStdinAsync(ct));
        if (input is null) return CannotDecideBecause(problem!);
        var (call, invalid) = ClaudeCodeHookCall.From(input, new AgentId(agentName));
        if (call is null) return Answer(input.Event, Decision.Deny, $"Orchestrator: deny — invalid input: {invalid}");

        var decided = client.ServerFor(result) is { } server
            ? await ClaudeCodeHookDecider.ViaServerAsync(server, client.Credential(result), call, input.ToolInput, ct)
            : await ClaudeCodeHookDecider.EmbeddedAsync(Policy(result, policyOptions, input), client.DataDirectory(result), call, input.ToolInput, client.Credential(result), ct);
        if (decided.Problem is { } cannot) return CannotDecideBecause(cannot);
        return Answer(input.Event, decided.Decision, decided.Reason);
    }

    /// <summary>The embedded policy: the project is <c>--project</c>, else Claude Code's project directory, else the call's cwd.</summary>
    private static PolicyLoadOptions Policy(ParseResult result, PolicyOptions policyOptions, ClaudeCodeHookInput input)
    {
        var options = policyOptions.Build(result);
        if (result.GetResult(policyOptions.Project) is { Implicit: false }) return options;
        var project = Environment.GetEnvironmentVariable("CLAUDE_PROJECT_DIR") is { Length: > 0 } claude ? claude : input.Cwd;
        return options with { ProjectDirectory = Path.GetFullPath(project) };
    }

    private static int Answer(HookEvent hookEvent, Decision decision, string reason)
    {
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(System.Text.Encoding.UTF8.GetBytes(ClaudeCodeHookAnswer.For(hookEvent, decision, reason).ToJsonString()));
        return 0;
    }

    private static int CannotDecideBecause(string reason)
    {
        Console.Error.WriteLine($"orchestrator hook: cannot decide, so the tool is blocked: {reason}");
        return CannotDecide;
    }

    private static async Task<byte[]> ReadStdinAsync(CancellationToken ct)
    {
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stdin.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > ClaudeCodeHookInput.MaxBytes) break;
        }
        return buffer.ToArray();
    }
}
