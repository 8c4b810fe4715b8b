using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// Runs the executions of one worker kind concurrently, each as a task piped back, and answers each requester once.
/// A task that fails is a poisoned call: only that call fails. A sandbox that throws before handing back a task is
/// broken as a whole: the worker crashes, its backoff supervisor replaces it (with a fresh sandbox from the factory),
/// and <see cref="PostStop"/> kills the process groups of every call in flight and fails them.
/// </summary>
public sealed class ExecutionWorker : ReceiveActor
{
    private readonly WorkerKind _kind;
    private readonly ICommandSandbox _sandbox;
    private readonly WorkerDirectory _directory;
    private readonly Dictionary<CallId, InFlight> _inFlight = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private string? _crash;

    public ExecutionWorker(WorkerKind kind, Func<WorkerKind, ICommandSandbox> sandboxFor, WorkerDirectory directory)
    {
        _kind = kind;
        _directory = directory;
        _sandbox = sandboxFor(kind);
        Receive<RunOnWorker>(Start);
        Receive<ExecutionEnded>(Finish);
    }

    public static Props Props(WorkerKind kind, Func<WorkerKind, ICommandSandbox> sandboxFor, WorkerDirectory directory) =>
        Akka.Actor.Props.Create(() => new ExecutionWorker(kind, sandboxFor, directory));

    protected override void PreStart() => _directory.Enter(_kind, Self);

    private void Start(RunOnWorker run)
    {
        var (callId, plan) = run.Call;
        if (_inFlight.ContainsKey(callId))
        {
            run.Requester.Tell(new CallExecutionFailed(callId, $"call {callId} is already executing", ProcessMayHaveStarted: false));
            return;
        }
        if ((_kind == WorkerKind.None) != (plan.Profile.Mode == SandboxMode.DangerFullAccess))
        {
            run.Requester.Tell(new CallExecutionFailed(callId,
                $"the {_kind.ActorName()} worker does not run {plan.Profile.Mode} plans", ProcessMayHaveStarted: false));
            return;
        }

        var cancellation = new CancellationTokenSource();
        _inFlight[callId] = new InFlight(run.Requester, cancellation);
        Task<CommandResult> execution;
        try
        {
            execution = _sandbox.RunAsync(plan.Request, plan.Profile, cancellation.Token);
        }
        catch (Exception e)
        {
            _crash = $"{e.GetType().Name}: {e.Message}";
            throw;
        }
        execution.ContinueWith(
                task => task.IsCompletedSuccessfully
                    ? new ExecutionEnded(callId, task.Result, null)
                    : new ExecutionEnded(callId, null, task.Exception?.GetBaseException() ?? new OperationCanceledException("the execution was cancelled")),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .PipeTo(Self);
    }

    private void Finish(ExecutionEnded ended)
    {
        if (!_inFlight.Remove(ended.CallId, out var inFlight)) return;
        inFlight.Cancellation.Dispose();
        if (ended.Result is { SandboxFailure: { } sandboxFailure })
        {
            // The command never ran: what the process printed is the sandbox's complaint, not an exit of the command.
            _log.Warning("the sandbox failed to start call {0} on the {1} worker: {2}", ended.CallId, _kind.ActorName(), sandboxFailure);
            inFlight.Requester.Tell(new CallExecutionFailed(ended.CallId, $"sandbox failed to start: {sandboxFailure}", ProcessMayHaveStarted: false));
            return;
        }
        if (ended.Result is { } result)
        {
            foreach (var notice in result.Notices) _log.Warning("sandbox: {0}", notice);
            foreach (var created in result.CreatedProtectedPaths)
                _log.Warning("call {0} created protected path {1}: {2}", ended.CallId, created.Path, created.MovedTo is { } to ? $"moved to {to}" : created.Note);
            inFlight.Requester.Tell(new CallExecuted(ended.CallId, ExecutionResults.From(result)));
            return;
        }

        var failure = ended.Failure!;
        var nothingRan = failure is SandboxUnavailableException or LaunchException;
        _log.Warning("execution of call {0} on the {1} worker failed: {2}", ended.CallId, _kind.ActorName(), failure);
        inFlight.Requester.Tell(new CallExecutionFailed(ended.CallId,
            nothingRan ? $"not started: {failure.Message}" : $"execution failed: {failure.GetType().Name}: {failure.Message}",
            ProcessMayHaveStarted: !nothingRan));
    }

    protected override void PostStop()
    {
        _directory.Leave(_kind, Self);
        var why = _crash is null ? "stopped" : $"crashed ({_crash})";
        foreach (var (callId, inFlight) in _inFlight)
        {
            try
            {
                inFlight.Cancellation.Cancel();
            }
            catch (AggregateException e)
            {
                _log.Error(e, "killing the process of call {0} failed", callId);
            }
            inFlight.Requester.Tell(new CallExecutionFailed(callId,
                $"the {_kind.ActorName()} execution worker {why} while the call was running; its process group was killed",
                ProcessMayHaveStarted: true));
        }
        _inFlight.Clear();
        base.PostStop();
    }

    private sealed record InFlight(IActorRef Requester, CancellationTokenSource Cancellation);
}
