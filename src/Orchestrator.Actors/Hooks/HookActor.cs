using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;
using Polly;
using Polly.Bulkhead;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// Runs the hooks of one event (PreToolUse, PermissionRequest, PostToolUse, PostToolUseFailure) of the configuration it
/// is given (the judging workspace's, DESIGN §4) that match a call —
/// by tool name and by their <c>if</c> condition — and answers <see cref="RunHooks"/> with <see cref="HooksRan"/>. When no hook matches — the common case — it answers at
/// once. Otherwise the matching hooks run concurrently, all with the original input, off the actor thread, and the
/// answer is piped to the asker.
/// A command hook is a process (<see cref="IHookProcessRunner"/>); an http hook POSTs the same JSON to its URL
/// (<see cref="IHookHttpRunner"/>), its breaker keyed by the URL alone, whichever workspace configured it.
/// Each hook passes, outermost first: the circuit breaker of the hook (its workspace and command, or its URL) for the call's agent, the agent's bulkhead
/// (its share of the hook processes), the shared bulkhead (max concurrent processes), its own timeout. Nothing is retried: hooks may have side effects. Anything that keeps a hook from answering is a
/// hook failure, which denies unless the hook says onFailure "ignore".
/// </summary>
public sealed class HookActor : GuardedStage
{
    public const string Name = "hooks";

    private readonly IHookProcessRunner _runner;
    private readonly IHookHttpRunner _http;
    private static readonly Lazy<HttpHookRunner> SharedHttp = new(() => new HttpHookRunner());
    private readonly HookActorOptions _options;
    private readonly AsyncBulkheadPolicy _bulkhead;
    private readonly Dictionary<(HookIdentity Hook, AgentId Agent), ResiliencePipeline<HookOutcome>> _breakers = [];
    private readonly Dictionary<AgentId, AsyncBulkheadPolicy> _agentBulkheads = [];
    private readonly Dictionary<TimeSpan, ResiliencePipeline> _timeouts = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, ImmutableDictionary<string, string>> _environments = [];

    /// <summary>Which hook a breaker guards: the same command in two workspaces is two hooks.</summary>
    private readonly record struct HookIdentity(string ProjectDirectory, string Command);

    public HookActor(IHookProcessRunner runner, HookActorOptions options, IHookHttpRunner? http = null) : base(StageName)
    {
        _runner = runner;
        _http = http ?? SharedHttp.Value;
        _options = options;
        _bulkhead = Policy.BulkheadAsync(options.MaxConcurrentHooks, options.MaxQueuedHooks);
        Receive<RunHooks>(Handle);
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
    }

    public const string StageName = "hooks";

    public static Props Props(IHookProcessRunner runner, HookActorOptions? options = null, IHookHttpRunner? http = null) =>
        Akka.Actor.Props.Create(() => new HookActor(runner, options ?? HookActorOptions.Default, http));

    protected override void PostStop()
    {
        // Kills the hook processes still running; their askers still get an answer, a failure that denies. The token
        // source and the bulkhead are not disposed: hook tasks still in flight use them until they unwind.
        _stopping.Cancel();
    }

    private void Handle(RunHooks message)
    {
        var hooks = message.Hooks.For(message.Call, message.Event);
        if (hooks.Count == 0)
        {
            Sender.Tell(new HooksRan(message.Call.Id, [], null));
            return;
        }
        var project = message.Hooks.ProjectDirectory;
        var stdin = (HookInput.For(message.Call, message.Event, message.PermissionMode) with { ToolResponse = message.Response }).ToJson();
        var hookEvent = message.Event;
        var runs = hooks.Select(hook => project is null
            ? Task.FromResult(NotCompleted(hook, "not run: no project directory to run it from", Stopwatch.StartNew(), hookEvent))
            : RunOneAsync(hook, stdin, project, hookEvent, message.Call,
                Breaker(hook.Type == HookType.Http ? new HookIdentity("", hook.Command) : new HookIdentity(project, hook.Command), message.Call.Agent),
                AgentBulkhead(message.Call.Agent), Timeout(hook.Timeout), _stopping.Token));
        var callId = message.Call.Id;
        RunAllAsync(callId, runs).PipeTo(Sender, failure: e => new StageRefused(StageName, $"{e.GetType().Name}: {e.Message}") { CallId = callId });
    }

    private static async Task<HooksRan> RunAllAsync(CallId callId, IEnumerable<Task<HookOutcome>> runs)
    {
        var outcomes = await Task.WhenAll(runs).ConfigureAwait(false);
        return new HooksRan(callId, [.. outcomes.Select(o => o.Result)], HookFold.LastUpdatedInput(outcomes));
    }

    private async Task<HookOutcome> RunOneAsync(HookDefinition hook, string stdin, string project, HookEvent hookEvent, ToolCall call,
        ResiliencePipeline<HookOutcome> breaker, AsyncBulkheadPolicy agentBulkhead, ResiliencePipeline timeout, CancellationToken stopping)
    {
        var runner = _runner;
        var http = _http;
        var environment = hook.Type == HookType.Command ? Environment(project) : ImmutableDictionary<string, string>.Empty;
        var bulkhead = _bulkhead;
        var clock = Stopwatch.StartNew();
        try
        {
            return await breaker.ExecuteAsync(async breakerToken =>
                await agentBulkhead.ExecuteAsync(async agentToken =>
                    await bulkhead.ExecuteAsync(async bulkheadToken =>
                    {
                        var process = await timeout.ExecuteAsync(
                            async timeoutToken => hook.Type == HookType.Http
                                ? await http.PostAsync(new HookHttpRequest(hook.Command, stdin, hook.Headers), timeoutToken).ConfigureAwait(false)
                                : await runner.RunAsync(new HookProcessRequest(hook.Command, stdin, project, environment), timeoutToken).ConfigureAwait(false),
                            bulkheadToken).ConfigureAwait(false);
                        return HookOutcomeParser.Parse(hook, process, hookEvent);
                    }, agentToken).ConfigureAwait(false), breakerToken).ConfigureAwait(false), stopping).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            return NotCompleted(hook, $"timed out after {Seconds(hook.Timeout)}", clock, hookEvent);
        }
        catch (BrokenCircuitException)
        {
            return NotCompleted(hook, $"not run: its circuit breaker is open after {_options.BreakerFailures} failures in a row", clock, hookEvent);
        }
        catch (BulkheadRejectedException) when (agentBulkhead.QueueAvailableCount == 0)
        {
            return NotCompleted(hook, $"not run: {_options.MaxConcurrentHooksPerAgent} hooks of agent {call.Agent} running and {_options.MaxQueuedHooksPerAgent} waiting", clock, hookEvent);
        }
        catch (BulkheadRejectedException)
        {
            return NotCompleted(hook, $"not run: {_options.MaxConcurrentHooks} hooks running and {_options.MaxQueuedHooks} waiting", clock, hookEvent);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return NotCompleted(hook, "stopped: the hook actor is shutting down", clock, hookEvent);
        }
        catch (Exception e)
        {
            // Fail closed on anything unexpected rather than leave the call without an answer.
            return NotCompleted(hook, $"internal error: {e.GetType().Name}: {e.Message}", clock, hookEvent);
        }
    }

    private static HookOutcome NotCompleted(HookDefinition hook, string failure, Stopwatch clock, HookEvent hookEvent) =>
        HookOutcomeParser.Parse(hook, Orchestrator.Core.Hooks.HookProcessResult.NotCompleted(failure, clock.Elapsed), hookEvent);

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    private AsyncBulkheadPolicy AgentBulkhead(AgentId agent)
    {
        if (_agentBulkheads.TryGetValue(agent, out var existing)) return existing;
        var bulkhead = Policy.BulkheadAsync(_options.MaxConcurrentHooksPerAgent, _options.MaxQueuedHooksPerAgent);
        _agentBulkheads.Add(agent, bulkhead);
        return bulkhead;
    }

    private ImmutableDictionary<string, string> Environment(string project)
    {
        if (_environments.TryGetValue(project, out var existing)) return existing;
        var environment = HookEnvironment.For(project, System.Environment.GetEnvironmentVariable("PATH"));
        _environments.Add(project, environment);
        return environment;
    }

    private ResiliencePipeline<HookOutcome> Breaker(HookIdentity hook, AgentId agent)
    {
        if (_breakers.TryGetValue((hook, agent), out var existing)) return existing;
        // FailureRatio 1 with MinimumThroughput n: the breaker opens when the window holds at least n hook runs and all
        // of them failed — n failures in a row within the window.
        var pipeline = new ResiliencePipelineBuilder<HookOutcome>()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HookOutcome>
            {
                FailureRatio = 1.0,
                MinimumThroughput = _options.BreakerFailures,
                SamplingDuration = _options.BreakerWindow,
                BreakDuration = _options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: TimeoutRejectedException } => true,
                    { Exception: null, Result.Failed: true } => true,
                    _ => false,
                }),
            })
            .Build();
        _breakers.Add((hook, agent), pipeline);
        return pipeline;
    }

    private ResiliencePipeline Timeout(TimeSpan timeout)
    {
        if (_timeouts.TryGetValue(timeout, out var existing)) return existing;
        var pipeline = new ResiliencePipelineBuilder().AddTimeout(timeout).Build();
        _timeouts.Add(timeout, pipeline);
        return pipeline;
    }
}
