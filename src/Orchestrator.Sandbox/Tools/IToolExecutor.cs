using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// The seam for a tool Orchestrator executes itself, in process, instead of handing a command to the sandbox helper
/// (Read, Write, Edit, MultiEdit; Glob, Grep, WebFetch plug in the same way). One executor per tool name, listed in
/// <see cref="ToolExecutors.Standard"/>. The call path is Bash's: the session plans the call (<see cref="Validate"/>
/// refuses bad input before anything is recorded as started), takes an execution slot (the same fair, bounded slots as
/// Bash runs), records <c>ExecutionStarted</c>, and the <c>tools</c> actor runs <see cref="RunAsync"/> on the thread
/// pool — off the session's mailbox — under <see cref="ToolLimits.Timeout"/>; its <see cref="ToolOutcome"/> is recorded
/// as <c>ExecutionFinished</c> (the text on stdout, the error on stderr, the facts in
/// <see cref="Core.History.Events.ExecutionResult.Tool"/>), so history, watch, replay and recovery need nothing new.
/// </summary>
public interface IToolExecutor
{
    /// <summary>The Claude Code tool name this executor runs (<see cref="ToolNames"/>).</summary>
    string Tool { get; }

    /// <summary>
    /// Whether a run may change anything (a write, an edit): such a run that ends unobserved (timeout, crash) is
    /// recorded as interrupted, never as a clean failure, and never retried.
    /// </summary>
    bool HasSideEffects { get; }

    /// <summary>Checks the input alone (pure and fast): a message refuses the call with it, nothing run and nothing changed.</summary>
    string? Validate(ToolCall call, ToolLimits limits);

    /// <summary>
    /// Runs the call. Expected failures (a missing file, a refused path, no match) are a <see cref="ToolOutcome"/> with
    /// an error, not exceptions; an exception is a poisoned call (failed, or interrupted when <see cref="HasSideEffects"/>).
    /// Must honour <paramref name="cancellation"/> between steps and never block on a file that could hang (FIFOs, devices).
    /// </summary>
    Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation);
}
