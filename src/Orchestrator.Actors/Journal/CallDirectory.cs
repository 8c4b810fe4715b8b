using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The actor system's durable call directory (<see cref="ICallDirectory"/>) in the journal's own database: the journal
/// (<see cref="IntegrityJournal"/>) writes it, anyone reads it through <see cref="Get"/>. Configured from the journal's
/// HOCON (<see cref="JournalConfigPath"/>: provider-name, connection-string, default.schema-name). On first use it
/// creates its table and, when the table is empty and the journal already holds calls (a journal written before the
/// directory existed), fills it from the journal in one scan; every read and every journal write waits for that.
/// </summary>
public sealed class CallDirectory : IExtension, ICallDirectory
{
    public const string JournalConfigPath = "akka.persistence.journal.sql";

    private readonly CallDirectoryStore _store;

    public CallDirectory(ExtendedActorSystem system)
    {
        var config = system.Settings.Config.GetConfig(JournalConfigPath)
            ?? throw new InvalidOperationException($"{JournalConfigPath} is not configured: there is no journal to keep the call directory in.");
        var schema = config.GetString("default.schema-name", null);
        _store = CallDirectoryStore.For(config.GetString("provider-name"), config.GetString("connection-string"),
            string.IsNullOrEmpty(schema) || schema == "null" ? null : schema);
        var log = Logging.GetLogger(system, typeof(CallDirectory));
        Ready = Task.Run(() => PrepareAsync(system, log));
        Writer = new JournalWriter(_store, Ready);
        // The system ends only once the writer has written what it was given and let go of its connection: a
        // connection closed later could still checkpoint its write-ahead log into a file someone has replaced. The
        // high-water mark is written last, covering those writes: Akka.NET's WhenTerminated waits only for the callback
        // registered last (this one), not for the ones registered before it, such as the mark's own.
        var marks = JournalIntegrity.Get(system).Marks;
        system.RegisterOnTermination(() =>
        {
            try
            {
                Writer.Stop();
                Writer.Completion.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(30));
                _store.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
            }
            finally
            {
                marks.Dispose();
            }
        });
    }

    /// <summary>The directory of <paramref name="system"/>'s journal (one per actor system).</summary>
    public static CallDirectory Get(ActorSystem system) => system.WithExtension<CallDirectory, CallDirectoryProvider>();

    /// <summary>Completes once the table exists and, for an older journal, has been filled from it; faults when it cannot be.</summary>
    public Task Ready { get; }

    internal JournalWriter Writer { get; }

    public async Task<CallPlace?> FindAsync(CallId call, CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken);
        return await _store.FindAsync(call, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<CallId, CallPlace>> FindManyAsync(IReadOnlyCollection<CallId> calls, CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken);
        return await _store.FindManyAsync(calls, cancellationToken);
    }

    public async Task<IReadOnlyList<SessionId>> SessionsWithOpenCallsAsync(CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken);
        return await _store.SessionsWithOpenCallsAsync(cancellationToken);
    }

    public async IAsyncEnumerable<CallId> AllCallIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken);
        await foreach (var call in _store.AllCallIdsAsync(cancellationToken)) yield return call;
    }

    private async Task PrepareAsync(ActorSystem system, ILoggingAdapter log)
    {
        try
        {
            if (!await _store.CreateAsync(CancellationToken.None)) return;
            var clock = Stopwatch.StartNew();
            var (calls, open) = await CallDirectoryBackfill.RunAsync(_store, system, CancellationToken.None);
            if (calls > 0)
                log.Info("call directory: filled from the journal (written before the directory existed): {0} calls, {1} open, in {2:0.00} s",
                    calls, open, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.Error(e, "call directory: cannot be prepared in {0}: {1}", _store.Table, e.Message);
            throw;
        }
    }

    private sealed class CallDirectoryProvider : ExtensionIdProvider<CallDirectory>
    {
        public override CallDirectory CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
