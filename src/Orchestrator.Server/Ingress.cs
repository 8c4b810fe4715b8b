using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Ingress;

namespace Orchestrator.Server;

/// <summary>
/// Admission for <c>POST /v1/calls</c>: each submission is put on a <see cref="FairAdmissionQueue{T}"/> (per-agent and
/// global capacity; a full queue answers 429 with Retry-After at once). A pump moves submissions, round-robin across
/// agents, into a bounded <see cref="Channel{T}"/> as small as the worker pool, so submissions wait in the fair queue
/// (not in the channel) while the workers are busy; the workers read the channel and ask the pipeline. A flooding
/// agent fills only its own share, so the others are still admitted and served in turn.
/// </summary>
public sealed class Ingress : IHostedService
{
    private readonly FairAdmissionQueue<Pending> _queue;
    /// <summary>Coalescing "something was queued" signal for the pump.</summary>
    private readonly Channel<bool> _queued = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<Pending> _toWorkers;
    private readonly ServerOptions _options;
    private readonly ActorRegistry _registry;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];

    public Ingress(ServerOptions options, ActorRegistry registry)
    {
        _options = options;
        _registry = registry;
        _queue = new FairAdmissionQueue<Pending>(options.GlobalCapacity, options.PerAgentCapacity, options.DrainPerSecond);
        _toWorkers = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Math.Max(1, options.Workers))
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
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
        _queued.Writer.TryWrite(true);
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _workers.Add(Task.Run(() => PumpAsync(_stop.Token)));
        for (var i = 0; i < Math.Max(1, _options.Workers); i++) _workers.Add(Task.Run(() => WorkAsync(_stop.Token)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_workers).WaitAsync(cancellationToken); } catch (OperationCanceledException) { }
        while (_queue.TryDequeue(out _, out var left)) left.Reply.TrySetException(new OperationCanceledException("server stopping"));
        while (_toWorkers.Reader.TryRead(out var left)) left.Reply.TrySetException(new OperationCanceledException("server stopping"));
    }

    /// <summary>Fair queue → bounded channel, waiting (backpressure) while every worker is busy.</summary>
    private async Task PumpAsync(CancellationToken stop)
    {
        try
        {
            if (_options.IngressGate is { } gate) await gate.WaitAsync(stop);
            while (await _queued.Reader.WaitToReadAsync(stop))
            {
                _queued.Reader.TryRead(out _);
                while (_queue.TryDequeue(out _, out var pending)) await _toWorkers.Writer.WriteAsync(pending, stop);
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task WorkAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var pending in _toWorkers.Reader.ReadAllAsync(stop))
            {
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
