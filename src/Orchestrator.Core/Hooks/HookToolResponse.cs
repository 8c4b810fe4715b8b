using System.Text.Json;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// The <c>tool_response</c> a PostToolUse or PostToolUseFailure hook reads: the run's kept output (the bounded head and
/// tail the run recorded, never more), exit code, whether it timed out, and for a structured tool what it did (target,
/// digests, diff, named details). <see cref="Error"/> is what a PostToolUseFailure hook reads as <c>error</c>.
/// </summary>
public sealed record HookToolResponse(string Stdout, string Stderr, int? ExitCode, bool Interrupted, ToolRecord? Tool, string? Error)
{
    /// <summary>The hook event a finished run calls for: PostToolUse after success, PostToolUseFailure otherwise.</summary>
    public HookEvent Event => Error is null ? HookEvent.PostToolUse : HookEvent.PostToolUseFailure;

    public static HookToolResponse From(ExecutionResult result)
    {
        var stdout = result.Output?.Stdout.Text(result.StdoutBytes) ?? "";
        var stderr = result.Output?.Stderr.Text(result.StderrBytes) ?? "";
        string? error = result.TimedOut ? "the run timed out"
            : result.KilledAtMemoryLimit is { } limit ? ExecutionResult.KilledAtMemoryLimitText(limit)
            : result.Signal is { } signal ? $"the run was killed by signal {signal}"
            : result.ExitCode != 0 ? $"exit code {result.ExitCode}" + (stderr.Trim() is { Length: > 0 } s ? $": {Clip(s)}" : "")
            : null;
        return new(stdout, stderr, result.ExitCode, result.TimedOut, result.Tool, error);
    }

    internal void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("stdout", Stdout);
        json.WriteString("stderr", Stderr);
        if (ExitCode is { } exit) json.WriteNumber("exit_code", exit);
        json.WriteBoolean("interrupted", Interrupted);
        if (Tool is { } tool)
        {
            json.WriteString("tool", tool.Tool);
            if (tool.Target is not null) json.WriteString("target", tool.Target);
            if (tool.Digest is not null) json.WriteString("digest", tool.Digest);
            if (tool.BeforeDigest is not null) json.WriteString("before_digest", tool.BeforeDigest);
            if (tool.AfterDigest is not null) json.WriteString("after_digest", tool.AfterDigest);
            if (tool.Diff is not null) json.WriteString("diff", tool.Diff);
            foreach (var (key, value) in tool.Details ?? System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty)
                json.WriteString(key, value);
        }
        json.WriteEndObject();
    }

    private static string Clip(string text) => text.Length <= 1000 ? text : text[..1000] + "…";
}
