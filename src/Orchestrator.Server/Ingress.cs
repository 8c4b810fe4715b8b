using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Ingress;

namespace Orchestrator.Server;

/// <summary>
/// Admission for <c>POST /v1/calls</c>: each submission waits in a <see cref="FairGate{T}"/> (per-agent and global queue
/// capacity; a full queue answers 429 with Retry-After at once). A pump takes submissions round-robin across agents
/// while fewer than <see cref="ServerOptions.Workers"/> are in flight in all and fewer than
/// <see cref="ServerOptions.PerAgentWorkers"/> for their agent, and asks the pipeline for each (bounded by
/// <see cref="ServerOptions.AskTimeout"/>). An agent whose submissions are slow or stuck holds only its own share, so
/// another agent's submission is taken at once.
/// </summary>
public sealed class Ingress : IHostedService
{
    private readonly FairGate<Pending> _gate;
    /// <summary>Coalescing "something was queued or finished" signal for the pump.</summary>
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ServerOptions _options;
    private readonly ActorRegistry _registry;
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;

    public Ingress(ServerOptions options, ActorRegistry registry)
    {
        _options = options;
        _registry = registry;
        _gate = new FairGate<Pending>(options.GlobalCapacity, options.PerAgentCapacity, options.DrainPerSecond,
            Math.Max(1, options.Workers), Math.Max(1, options.PerAgentWorkers));
    }

    /// <summary>Submissions waiting to be taken.</summary>
    public int Queued => _gate.Queued;

    /// <summary>Submissions the pipeline is handling now.</summary>
    public int InFlight => _gate.InFlight;

    private sealed record Pending(SubmitCall Message, TaskCompletionSource<object> Reply);

    /// <summary>Queues a submission; false with the Retry-After when the queue is full, else the pipeline's answer.</summary>
    public bool TrySubmit(SubmitCall message, out Task<object> reply, out TimeSpan retryAfter)
    {
        var pending = new Pending(message, new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
        var result = _gate.TryEnqueue(message.Call.Agent, pending);
        reply = pending.Reply.Task;
        retryAfter = result.RetryAfter;
        if (!result.Accepted) return false;
        _wake.Writer.TryWrite(true);
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pump = Task.Run(() => PumpAsync(_stop.Token));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        try { await _pump.WaitAsync(cancellationToken); } catch (OperationCanceledException) { }
        foreach (var left in _gate.Drain()) left.Reply.TrySetException(new OperationCanceledException("server stopping"));
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        try
        {
            if (_options.IngressGate is { } gate) await gate.WaitAsync(stop);
            while (true)
            {
                while (_gate.TryTake(out var agent, out var pending)) _ = AskAsync(agent, pending, stop);
                if (!await _wake.Reader.WaitToReadAsync(stop)) return;
                _wake.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// The session router, waited for (at most <see cref="ServerOptions.AskTimeout"/>): the pipeline's supervisor registers
    /// it from its own constructor, after the host has started, and a stdio MCP client may send its first call at once.
    /// </summary>
    private async Task<IActorRef> SessionsAsync(CancellationToken stop)
    {
        if (_registry.TryGet<SessionRouter>(out var sessions)) return sessions;
        try { return await _registry.GetAsync<SessionRouter>(stop).WaitAsync(_options.AskTimeout, stop); }
        catch (TimeoutException) { throw new InvalidOperationException("the call pipeline is not ready"); }
    }

    private async Task AskAsync(AgentId agent, Pending pending, CancellationToken stop)
    {
        try
        {
            pending.Reply.TrySetResult(await (await SessionsAsync(stop)).Ask<object>(pending.Message, _options.AskTimeout, stop));
        }
        catch (Exception e)
        {
            pending.Reply.TrySetException(e);
        }
        finally
        {
            _gate.Release(agent);
            _wake.Writer.TryWrite(true);
        }
    }
}
