using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Ingress;

namespace Orchestrator.Server;

/// <summary>
/// Admission for <c>POST /v1/calls</c>: each submission is put on a <see cref="FairAdmissionQueue{T}"/> (per-agent and
/// global capacity; a full queue answers 429 with Retry-After at once) and the request waits while a fixed set of
/// workers takes submissions off it round-robin across agents and asks the pipeline. A flooding agent fills only its
/// own share, so the others are still admitted and served in turn.
/// </summary>
public sealed class Ingress : IHostedService
{
    private readonly FairAdmissionQueue<Pending> _queue;
    private readonly SemaphoreSlim _ready = new(0);
    private readonly ServerOptions _options;
    private readonly ActorRegistry _registry;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];

    public Ingress(ServerOptions options, ActorRegistry registry)
    {
        _options = options;
        _registry = registry;
        _queue = new FairAdmissionQueue<Pending>(options.GlobalCapacity, options.PerAgentCapacity, options.DrainPerSecond);
    }

    /// <summary>Submissions waiting for a worker.</summary>
    public int Queued => _queue.Count;

    private sealed record Pending(SubmitCall Message, TaskCompletionSource<object> Reply);

    /// <summary>Queues a submission; false with the Retry-After when the queue is full, else the pipeline's answer.</summary>
    public bool TrySubmit(SubmitCall message, out Task<object> reply, out TimeSpan retryAfter)
    {
        var pending = new Pending(message, new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
        var result = _queue.TryEnqueue(message.Call.Agent, pending);
        reply = pending.Reply.Task;
        retryAfter = result.RetryAfter;
        if (!result.Accepted) return false;
        _ready.Release();
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Math.Max(1, _options.Workers); i++) _workers.Add(Task.Run(() => WorkAsync(_stop.Token)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_workers).WaitAsync(cancellationToken); } catch (OperationCanceledException) { }
        while (_queue.TryDequeue(out _, out var left)) left.Reply.TrySetException(new OperationCanceledException("server stopping"));
    }

    private async Task WorkAsync(CancellationToken stop)
    {
        try
        {
            if (_options.IngressGate is { } gate) await gate.WaitAsync(stop);
            while (true)
            {
                await _ready.WaitAsync(stop);
                if (!_queue.TryDequeue(out _, out var pending)) continue;
                try
                {
                    if (!_registry.TryGet<SessionRouter>(out var sessions))
                        throw new InvalidOperationException("the call pipeline is not ready");
                    var answer = await sessions.Ask<object>(pending.Message, _options.AskTimeout, stop);
                    pending.Reply.TrySetResult(answer);
                }
                catch (Exception e)
                {
                    pending.Reply.TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
