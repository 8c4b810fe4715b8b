using System.Globalization;
using System.Text.Json;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Text;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// How a call that <c>orchestrator run</c> submitted ended, read from the pipeline's state (in-process) or the
/// server's call view (forwarded), and what <c>run</c> prints and exits with: the command's own code, 124 on timeout,
/// 125 when Orchestrator refused it (denied, not approved, not runnable, interrupted).
/// </summary>
internal sealed record RunReport(string? Outcome, string? Decision, string? ReasonClass, string? Reason, string? Rule, int? ExitCode,
    bool TimedOut, string? Detail, string? Stdout, string? Stderr, IReadOnlyList<string> CreatedProtectedPaths, string? Sandbox)
{
    /// <summary>What was dropped from a stream kept as head and tail: its whole size and digest (one line per stream).</summary>
    public IReadOnlyList<string> Truncations { get; init; } = [];

    /// <summary>The memory limit (bytes) the run was killed for reaching, or null.</summary>
    public long? KilledAtMemoryLimit { get; init; }

    public const int Refused = 125;

    public static RunReport From(CallState state, CallOutput? output) => new(
        state.Outcome is { } o ? Names(o) : null,
        state.Decided is { } d ? Names(d.Verdict.Decision) : null,
        state.Decided?.Verdict.ReasonClass.Name(),
        state.Decided?.Verdict.Reason,
        state.Decided?.Verdict.Rule is { } r ? $"{r.Text} at {r.Layer.Name()} {r.Location}" : null,
        state.Finished?.Result.ExitCode ?? state.Completion?.ExitCode,
        state.Finished?.Result.TimedOut ?? false,
        state.Completion?.Detail ?? state.Interruption?.Reason,
        output?.Stdout, output?.Stderr,
        [.. (state.Finished?.Result.CreatedProtectedPaths ?? []).Select(Describe)],
        state.Execution?.DescribeSandbox())
    {
        Truncations = state.Finished?.Result is { } result
            ? [.. Truncated("stdout", result.StdoutTruncated, result.StdoutBytes, result.StdoutDigest), .. Truncated("stderr", result.StderrTruncated, result.StderrBytes, result.StderrDigest)]
            : [],
        KilledAtMemoryLimit = state.Finished?.Result.KilledAtMemoryLimit,
    };

    private static IEnumerable<string> Truncated(string stream, bool truncated, long bytes, string digest) =>
        truncated ? [$"{stream} kept its first and last bytes of {bytes} bytes in all (sha256 {digest})"] : [];

    /// <summary>The server's <c>CallView</c> JSON.</summary>
    public static RunReport From(JsonElement call)
    {
        string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var execution = call.TryGetProperty("execution", out var x) && x.ValueKind == JsonValueKind.Object ? x : default;
        var output = call.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        var created = execution.ValueKind == JsonValueKind.Object && execution.TryGetProperty("createdProtectedPaths", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(p => $"{Text(p, "path")}; " + (Text(p, "movedTo") is { } to ? $"moved it into the quarantine: {to}" : Text(p, "note"))).ToList() : [];
        return new RunReport(Text(call, "outcome"), Text(call, "decision"), Text(call, "reasonClass"), Text(call, "reason"), Text(call, "rule"),
            call.TryGetProperty("exitCode", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null,
            execution.ValueKind == JsonValueKind.Object && execution.TryGetProperty("timedOut", out var t) && t.ValueKind == JsonValueKind.True,
            Text(call, "detail"), Text(output, "stdout"), Text(output, "stderr"), created, Text(execution, "sandbox"))
        {
            KilledAtMemoryLimit = execution.ValueKind == JsonValueKind.Object && execution.TryGetProperty("killedAtMemoryLimit", out var k) && k.ValueKind == JsonValueKind.Number
                ? k.GetInt64() : null,
        };
    }

    /// <summary>Prints the output and Orchestrator's notes; answers the exit code.</summary>
    public async Task<int> PrintAsync(double timeoutSeconds)
    {
        if (Stdout is { Length: > 0 } stdout)
        {
            await using var stream = Console.OpenStandardOutput();
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(stdout)).ConfigureAwait(false);
        }
        if (Stderr is { Length: > 0 } stderr)
        {
            await using var stream = Console.OpenStandardError();
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(stderr)).ConfigureAwait(false);
        }
        foreach (var truncation in Truncations) Console.Error.WriteLine($"orchestrator: {truncation}");
        foreach (var created in CreatedProtectedPaths) Console.Error.WriteLine($"orchestrator: the command created protected path {DisplayText.Escape(created)}");
        if (KilledAtMemoryLimit is { } limit) Console.Error.WriteLine($"orchestrator: {ExecutionResult.KilledAtMemoryLimitText(limit)}");
        switch (Outcome)
        {
            case "allowed-and-ran" when TimedOut:
                Console.Error.WriteLine($"orchestrator: timed out after {timeoutSeconds.ToString(CultureInfo.InvariantCulture)} s; the process group was killed");
                return Orchestrator.Sandbox.CommandResult.TimeoutExitCode;
            case "allowed-and-ran":
                return ExitCode ?? Refused;
            case "denied":
                return Refuse($"denied: {ReasonClass} — {Reason}{RuleSuffix}");
            case "approval-denied" or "approval-timed-out":
                return Refuse($"needs approval: {ReasonClass} — {Reason}{RuleSuffix}; {Detail}");
            case "failed":
                return Refuse($"not run: {Detail ?? Reason}");
            default:
                return Refuse($"not run ({Outcome ?? "unfinished"}): {Detail ?? Reason}");
        }
    }

    private string RuleSuffix => Rule is { } rule ? $" (rule {rule})" : "";

    private static int Refuse(string message)
    {
        Console.Error.WriteLine($"orchestrator: {DisplayText.Escape(message)}");
        return Refused;
    }

    private static string Names<T>(T value) where T : struct, Enum => KebabCase.Of(value);

    private static string Describe(CreatedProtectedPath created) =>
        $"{created.Path}; " + (created.MovedTo is { } to ? $"moved it into the quarantine: {to}" : created.Note);
}
