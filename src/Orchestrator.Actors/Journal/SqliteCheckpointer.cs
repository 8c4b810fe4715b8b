using System.Data.Common;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Copies SQLite's write-ahead log into the database file on its own connection, a few times a second while the
/// journal or the history model is being written (their writers tell it, <see cref="Wrote"/>). Left to SQLite, the
/// commit that pushes the log past 1,000 pages checkpoints it in that writer's own transaction — copying ~4 MB and
/// syncing the database file while every call waiting on that commit waits too (the p99 at ~1,000 calls/s). A passive
/// checkpoint here never blocks a writer. The writing connections keep SQLite's own checkpoint at
/// <see cref="WriterFallbackPages"/> pages (<see cref="SqliteWriterConnection"/>), so a checkpointer that falls behind
/// or keeps failing bounds the log all the same.
/// </summary>
internal sealed class SqliteCheckpointer
{
    /// <summary>The writing connections' <c>wal_autocheckpoint</c>: reached only when this checkpointer does not keep up.</summary>
    public const int WriterFallbackPages = 16_384;

    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);

    private readonly CallDirectoryStore _store;
    private readonly CancellationTokenSource _stop = new();
    private int _written;

    public SqliteCheckpointer(CallDirectoryStore store)
    {
        _store = store;
        Completion = Task.Run(RunAsync);
    }

    /// <summary>Ends once <see cref="Stop"/> was called and the checkpointer's connection is closed.</summary>
    public Task Completion { get; }

    /// <summary>A writer committed: the next tick checkpoints.</summary>
    public void Wrote() => Volatile.Write(ref _written, 1);

    public void Stop() => _stop.Cancel();

    private async Task RunAsync()
    {
        DbConnection? connection = null;
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (Interlocked.Exchange(ref _written, 0) == 0) continue;
                try
                {
                    connection ??= await _store.OpenAsync(_stop.Token);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    await command.ExecuteNonQueryAsync(_stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    Console.Error.WriteLine($"journal checkpointer: {e.Message} (SQLite checkpoints in the writer instead until this works again)");
                    Volatile.Write(ref _written, 1);
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }
}
