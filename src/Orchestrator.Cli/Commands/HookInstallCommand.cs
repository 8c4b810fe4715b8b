using System.CommandLine;
using Orchestrator.Core.Adapters;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator hook install claude-code [--project DIR] [--server URL] [--data DIR] [--agent NAME]</c>: adds the
/// adapter's <c>PreToolUse</c> and <c>PermissionRequest</c> entries to <c>DIR/.claude/settings.json</c>
/// (<see cref="ClaudeCodeHookSettings"/>), written whole to a temporary file and renamed over the old one. No token is
/// written: the hook reads <c>$ORCHESTRATOR_TOKEN</c> when it runs. <c>hook install codex</c> does the same in
/// <c>DIR/.codex/hooks.json</c> with <c>hook codex</c> (Codex asks its user to trust a new hook before it runs it).
/// </summary>
internal static class HookInstallCommand
{
    public static Command Create(string agentName)
    {
        var codex = agentName == HookCommand.CodexAgent;
        var file = codex ? Path.Combine(".codex", "hooks.json") : Path.Combine(".claude", "settings.json");
        var command = new Command(agentName, $"Add the Orchestrator hook (PreToolUse, PermissionRequest) to {file}, keeping the rest of the file");
        var project = new Option<string?>("--project") { Description = $"Project whose {file} gets the hook (default: the current directory)" };
        var server = new Option<string?>("--server") { Description = "The server the hook asks (default: the one holding --data when the hook runs, else a pipeline hosted in the hook)" };
        var data = new Option<string?>("--data") { Description = "The data directory the hook uses (default: the hook's default)" };
        var agent = new Option<string?>("--agent") { Description = $"The agent the hook records calls as (default {ClaudeCodeHookCall.DefaultAgent})" };
        foreach (var option in new Option[] { project, server, data, agent }) command.Options.Add(option);
        command.SetAction(result =>
        {
            var directory = Path.GetFullPath(result.GetValue(project) ?? Directory.GetCurrentDirectory());
            if (!Directory.Exists(directory)) return Fail($"project directory {directory} does not exist");
            if (result.GetValue(server) is { } url && !ServerClient.TryValidateUrl(url, out var bad)) return Fail(bad!);
            if (result.GetValue(agent) is { } name && Orchestrator.Core.Calls.IdSyntax.Problem("--agent", name) is { } badAgent) return Fail(badAgent);
            var hook = HookCommandLine(agentName, result.GetValue(server), result.GetValue(data) is { } d ? Path.GetFullPath(d) : null, result.GetValue(agent));
            var path = Path.Combine(directory, file);
            var existing = File.Exists(path) ? File.ReadAllText(path) : null;
            var (text, changed, problem) = ClaudeCodeHookSettings.Install(existing, hook, codex ? null : "*");
            if (problem is not null) return Fail($"{path} was left as it was: {problem}");
            if (!changed)
            {
                Console.Error.WriteLine($"orchestrator: {path} already runs '{hook}'");
                return 0;
            }
            WriteWhole(path, text!);
            Console.Error.WriteLine($"orchestrator: {path} now runs '{hook}' for {string.Join(" and ", ClaudeCodeHookSettings.Events)}");
            return 0;
        });
        return command;
    }

    /// <summary>The command Claude Code runs: this orchestrator (by its full path) with the options given, shell-quoted.</summary>
    private static string HookCommandLine(string agentName, string? server, string? data, string? agent)
    {
        var process = Environment.ProcessPath ?? "orchestrator";
        var argv = Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? new List<string> { process, Path.Combine(AppContext.BaseDirectory, "orchestrator.dll") }
            : [process];
        argv.AddRange(["hook", agentName]);
        if (server is not null) argv.AddRange(["--server", server]);
        if (data is not null) argv.AddRange(["--data", data]);
        if (agent is not null) argv.AddRange(["--agent", agent]);
        return ShellQuoting.Join(argv);
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, keeps the old file's mode, then renames over it.</summary>
    private static void WriteWhole(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():n}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && File.Exists(path)) File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"orchestrator: {message}");
        return ExitCodes.BadInput;
    }
}
