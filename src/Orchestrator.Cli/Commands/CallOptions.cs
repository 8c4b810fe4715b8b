using System.Collections.Immutable;
using System.CommandLine;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Cli.Commands;

/// <summary>The options that describe one tool call for check and explain.</summary>
internal sealed class CallOptions
{
    public readonly Option<string> Tool = new("--tool") { Description = "Tool name: Bash, Read, Edit, Write, Glob, Grep, WebFetch, mcp__server__tool, …", DefaultValueFactory = _ => ToolNames.Bash };
    public readonly Option<string?> CommandText = new("--command", "-c") { Description = "The shell command (Bash)" };
    public readonly Option<bool> CommandStdin = new("--command-stdin") { Description = "Read the command as raw bytes from standard input (checked to be UTF-8)" };
    public readonly Option<string?> FilePath = new("--path") { Description = "The file or directory path (Read, Edit, Write, Glob, Grep)" };
    public readonly Option<string?> Url = new("--url") { Description = "The URL (WebFetch)" };
    public readonly Option<string[]> Input = new("--input") { Description = "Extra tool input as key=value (repeatable)" };
    public readonly Option<string?> Cwd = new("--cwd") { Description = "Working directory of the call (default: the current directory)" };
    public readonly Option<string?> RequestMode = new("--request-mode") { Description = "Sandbox mode the call itself asks for (capped by policy)" };
    public readonly Option<bool> Escalate = new("--escalate") { Description = "The call asks to run outside the sandbox" };
    /// <summary>Kept for scripts: every check now judges a decide-only call (the caller runs the tool itself, without our sandbox).</summary>
    public readonly Option<bool> Unsandboxed = new("--unsandboxed") { Description = "Judge as a decide-only caller (the default; kept for scripts)", Hidden = true };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Tool, CommandText, CommandStdin, FilePath, Url, Input, Cwd, RequestMode, Escalate, Unsandboxed })
            command.Options.Add(option);
    }

    /// <summary>The call, or a one-line reason it cannot be built.</summary>
    public (ToolCall? Call, string? Error) Build(ParseResult result, Stream stdin)
    {
        var tool = result.GetValue(Tool)!;
        var input = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var pair in result.GetValue(Input) ?? [])
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) return (null, $"--input '{pair}' is not key=value");
            input[pair[..eq]] = pair[(eq + 1)..];
        }

        var command = result.GetValue(CommandText);
        if (result.GetValue(CommandStdin))
        {
            if (command is not null) return (null, "give the command either with --command or with --command-stdin, not both");
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            command = InputValidator.DecodeStrict(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var problem);
            if (command is null) return (null, problem);
        }
        if (command is not null) input[ToolInputKeys.Command] = command;
        if (result.GetValue(FilePath) is { } path)
            input[tool is ToolNames.Glob or ToolNames.Grep ? ToolInputKeys.Path : tool == ToolNames.NotebookEdit ? ToolInputKeys.NotebookPath : ToolInputKeys.FilePath] = path;
        if (result.GetValue(Url) is { } url) input[ToolInputKeys.Url] = url;

        switch (tool)
        {
            case ToolNames.Bash when !input.ContainsKey(ToolInputKeys.Command):
                return (null, "Bash needs --command or --command-stdin");
            case var t when (ToolNames.IsFileEdit(t) || t == ToolNames.Read) && !input.ContainsKey(ToolInputKeys.FilePath) && !input.ContainsKey(ToolInputKeys.NotebookPath):
                return (null, $"{t} needs --path");
            case ToolNames.WebFetch when !input.ContainsKey(ToolInputKeys.Url):
                return (null, "WebFetch needs --url");
        }

        SandboxMode? requested = null;
        if (result.GetValue(RequestMode) is { } modeName)
        {
            var mode = Core.Policy.Settings.PermissionMode.Find(modeName);
            if (mode is null) return (null, $"unknown --request-mode '{modeName}'");
            requested = mode.Sandbox;
        }

        var cwd = Path.GetFullPath(result.GetValue(Cwd) ?? Directory.GetCurrentDirectory());
        var call = ToolCall.Create(tool, input.ToImmutable(), cwd, requested) with { RequestsEscalation = result.GetValue(Escalate) };
        return (call, null);
    }
}
