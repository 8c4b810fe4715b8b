using System.Diagnostics;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Sandbox;
using Orchestrator.Sandbox.Process;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// Runs a <see cref="ToolPlan"/> on the thread pool, off the session's mailbox, and turns how it ended into the very
/// answer a sandboxed run gives (<see cref="CallExecuted"/> or <see cref="CallExecutionFailed"/>), so the session records
/// it as it records Bash. Bounded in time by <see cref="ToolLimits.Timeout"/>: an executor that stops on cancellation
/// changed nothing (executors check it only before their change) and the call is recorded as timed out (exit 124);
/// one that does not stop within a grace period is abandoned — interrupted when it may have changed something.
/// Concurrency is bounded before this: the call holds an execution slot, like any run.
/// </summary>
public static class ToolExecution
{
    public const int TimedOutExitCode = 124;
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static async Task<object> RunAsync(CallId callId, ToolPlan plan, OutputLimits output)
    {
        var limits = plan.Run.Limits;
        var executor = plan.Executor;
        var started = Stopwatch.GetTimestamp();
        using var cancellation = new CancellationTokenSource(limits.Timeout);
        try
        {
            var outcome = await Task.Run(() => executor.RunAsync(plan.Run, cancellation.Token), CancellationToken.None)
                .WaitAsync(limits.Timeout + Grace).ConfigureAwait(false);
            return new CallExecuted(callId, Result(executor, outcome, output, Stopwatch.GetElapsedTime(started)));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return new CallExecuted(callId, TimedOut(executor, limits, output, Stopwatch.GetElapsedTime(started)));
        }
        catch (TimeoutException)
        {
            if (executor.HasSideEffects)
                return new CallExecutionFailed(callId, $"{executor.Tool} did not stop within {limits.Timeout.TotalSeconds:0.#} s after its timeout; what it changed is unknown", ProcessMayHaveStarted: true);
            return new CallExecuted(callId, TimedOut(executor, limits, output, Stopwatch.GetElapsedTime(started)));
        }
        catch (Exception e)
        {
            var reason = $"{executor.Tool} failed: {e.GetType().Name}: {e.Message}";
            return new CallExecutionFailed(callId, reason, ProcessMayHaveStarted: executor.HasSideEffects);
        }
    }

    /// <summary>
    /// The recorded end of a structured call: the output as stdout, the error as stderr, the tool's facts beside them —
    /// with the error as <see cref="ToolRecord.Failure"/> when it failed, so the call completes as failed with that reason.
    /// </summary>
    public static ExecutionResult Result(IToolExecutor executor, ToolOutcome outcome, OutputLimits output, TimeSpan duration, bool timedOut = false)
    {
        var record = outcome.Succeeded ? outcome.Record : (outcome.Record ?? new ToolRecord(executor.Tool, null)) with { Failure = outcome.Error ?? $"{executor.Tool} failed" };
        var stdout = Capture(outcome.Output, output);
        var stderr = Capture(outcome.Error ?? "", output);
        return new ExecutionResult(
            timedOut ? TimedOutExitCode : outcome.ExitCode, timedOut, null, duration,
            stdout.TotalBytes, stderr.TotalBytes, stdout.Truncated, stderr.Truncated, stdout.Sha256, stderr.Sha256,
            [], new RecordedOutput(KeptStream.Of(stdout.Head, stdout.Tail), KeptStream.Of(stderr.Head, stderr.Tail)), record);
    }

    private static ExecutionResult TimedOut(IToolExecutor executor, ToolLimits limits, OutputLimits output, TimeSpan duration) =>
        Result(executor, ToolOutcome.Failed($"{executor.Tool} timed out after {limits.Timeout.TotalSeconds:0.#} s; nothing was changed"), output, duration, timedOut: true);

    private static CapturedOutput Capture(string text, OutputLimits limits)
    {
        using var buffer = new HeadTailBuffer(limits);
        buffer.Write(System.Text.Encoding.UTF8.GetBytes(text));
        return buffer.ToCapturedOutput();
    }
}
