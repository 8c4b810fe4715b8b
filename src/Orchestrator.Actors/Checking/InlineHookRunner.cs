using System.Diagnostics;
using System.Globalization;
using Orchestrator.Actors.Hooks;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Actors.Checking;

/// <summary>
/// Runs a call's PreToolUse hooks in this process, for a decision made without the server (the offline
/// <c>orchestrator check</c>): the same processes, input, working directory, environment and outcome parsing as the
/// <see cref="HookActor"/>, each bounded by its own timeout (a hook that does not answer fails, which denies unless it
/// says onFailure "ignore"); without the server's breakers and bulkheads, which guard many agents, not one command.
/// </summary>
public sealed class InlineHookRunner(IHookProcessRunner? runner = null, IHookHttpRunner? http = null)
{
    private readonly IHookProcessRunner _runner = runner ?? new ShellHookProcessRunner();
    private readonly IHookHttpRunner? _http = http;

    /// <summary>Runs the hooks of <paramref name="configuration"/> (the judging workspace's) that match <paramref name="call"/>.</summary>
    public async Task<HooksRan> RunAsync(HookConfiguration configuration, Core.Calls.ToolCall call, string permissionMode, CancellationToken cancellationToken)
    {
        var hooks = configuration.For(call);
        if (hooks.Count == 0) return new HooksRan(call.Id, [], null);
        var stdin = HookInput.For(call, HookEvent.PreToolUse, permissionMode).ToJson();
        var outcomes = await Task.WhenAll(hooks.Select(hook => RunOneAsync(configuration, hook, stdin, cancellationToken))).ConfigureAwait(false);
        return new HooksRan(call.Id, [.. outcomes.Select(o => o.Result)], HookFold.LastUpdatedInput(outcomes));
    }

    private async Task<HookOutcome> RunOneAsync(HookConfiguration configuration, HookDefinition hook, string stdin, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (configuration.ProjectDirectory is not { } project)
            return NotCompleted(hook, "not run: no project directory to run it from", clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(hook.Timeout);
        try
        {
            if (hook.Type == HookType.Http)
            {
                using var owned = _http is null ? new HttpHookRunner() : null;
                var http = _http ?? owned!;
                return HookOutcomeParser.Parse(hook, await http.PostAsync(new HookHttpRequest(hook.Command, stdin, hook.Headers), timeout.Token).ConfigureAwait(false));
            }
            var request = new HookProcessRequest(hook.Command, stdin, project,
                HookEnvironment.For(project, Environment.GetEnvironmentVariable("PATH")));
            return HookOutcomeParser.Parse(hook, await _runner.RunAsync(request, timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotCompleted(hook, $"timed out after {hook.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s", clock);
        }
    }

    private static HookOutcome NotCompleted(HookDefinition hook, string failure, Stopwatch clock) =>
        HookOutcomeParser.Parse(hook, HookProcessResult.NotCompleted(failure, clock.Elapsed));
}
