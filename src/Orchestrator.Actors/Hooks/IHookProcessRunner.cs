using Orchestrator.Core.Hooks;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// Runs one hook process to its end. The timeout arrives as cancellation (the <see cref="HookActor"/>'s Polly timeout):
/// on cancellation the runner kills the process tree and throws <see cref="OperationCanceledException"/>. A process
/// that cannot be started is a result with no exit code and a <see cref="HookProcessResult.Failure"/>, not an exception.
/// </summary>
public interface IHookProcessRunner
{
    Task<HookProcessResult> RunAsync(HookProcessRequest request, CancellationToken cancellationToken);
}
