using Orchestrator.Core.Hooks;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// POSTs one http hook's JSON. A 2xx answer is read like a command hook's exit 0 with the body as its stdout; any other
/// status, or no answer, is a result without exit code whose <see cref="HookProcessResult.Failure"/> says why. The
/// timeout arrives as cancellation (the <see cref="HookActor"/>'s Polly timeout) and throws.
/// </summary>
public interface IHookHttpRunner
{
    Task<HookProcessResult> PostAsync(HookHttpRequest request, CancellationToken cancellationToken);
}

/// <summary>One http hook call: <see cref="Body"/> (the hook input JSON) POSTed to <see cref="Url"/> with <see cref="Headers"/>.</summary>
public sealed record HookHttpRequest(string Url, string Body, IReadOnlyDictionary<string, string>? Headers);
