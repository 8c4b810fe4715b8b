namespace Orchestrator.Server;

/// <summary>
/// One what-if replay at a time per server (<c>POST /v1/replay</c>): a replay takes <see cref="ServerOptions.ReplayCores"/>
/// cores for as long as it runs, and two would take twice that from live decisions. A second one is refused (429), not
/// queued: a queued replay would hold its request open for as long as the first runs.
/// </summary>
public sealed class ReplayGate
{
    private int _busy;

    /// <returns>False when a replay is running; else the caller runs one and must <see cref="Exit"/>.</returns>
    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _busy, 0);
}
