using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The actor system's durable call directory (<see cref="ICallDirectory"/>) in the journal's own database: the journal
/// (<see cref="IntegrityJournal"/>) writes it, anyone reads it through <see cref="Get"/>. Configured from the journal's
/// HOCON (<see cref="JournalConfigPath"/>: provider-name, connection-string, default.schema-name). On first use it
/// creates its table and, when the table is empty and the journal already holds calls (a journal written before the
/// directory existed), fills it from the journal in one scan; every read and every journal write waits for that.
/// </summary>
public sealed class CallDirectory : IExtension, ICallDirectory, IApprovalIndex
{
    public const string JournalConfigPath = "akka.persistence.journal.sql";

    private readonly CallDirectoryStore _store;
    private readonly JournalIntegrity _integrity;

    public CallDirectory(ExtendedActorSystem system)
    {
        var config = system.Settings.Config.GetConfig(JournalConfigPath)
            ?? throw new InvalidOperationException($"{JournalConfigPath} is not configured: there is no journal to keep the call directory in.");
        var schema = config.GetString("default.schema-name", null);
        _store = CallDirectoryStore.For(config.GetString("provider-name"), config.GetString("connection-string"),
            string.IsNullOrEmpty(schema) || schema == "null" ? null : schema);
        _integrity = JournalIntegrity.Get(system);
        var log = Logging.GetLogger(system, typeof(CallDirectory));
        Ready = Task.Run(() => PrepareAsync(system, log));
        _fileCheck = new Lazy<Task>(() => Ready.ContinueWith(_ => CheckFileAsync(log), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap());
        // Both the journal's writer and the model's follower grow SQLite's log; the checkpointer copies it into the file.
        var checkpointer = _store.IsPostgres ? null : new SqliteCheckpointer(_store);
        History = new HistoryFollower(_store, _integrity, log, Ready,
            config.GetBoolean(HistoryFollower.Setting, true) ? HistoryFollowerSettings.Default : null, checkpointer is null ? null : checkpointer.Wrote);
        Writer = new JournalWriter(_store, Ready, History.Committed, checkpointer);
        // The system ends only once the writer has written what it was given and let go of its connection: a
        // connection closed later could still checkpoint its write-ahead log into a file someone has replaced. The
        // high-water mark is written last, covering those writes: Akka.NET's WhenTerminated waits only for the callback
        // registered last (this one), not for the ones registered before it, such as the mark's own.
        var marks = JournalIntegrity.Get(system).Marks;
        system.RegisterOnTermination(() =>
        {
            try
            {
                History.Stop();
                Writer.Stop();
                Writer.Completion.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(30));
                History.Completion.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(30));
                checkpointer?.Stop();
                checkpointer?.Completion.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(30));
                // Its read connection too must be closed before the system counts as ended.
                if (_fileCheck.IsValueCreated) _fileCheck.Value.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(30));
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

    /// <summary>The follower keeping the history read model (<see cref="CallDirectoryStore.HistoryTable"/>) from the journal.</summary>
    public HistoryFollower History { get; }

    private readonly Lazy<Task> _fileCheck;

    /// <summary>
    /// Checks the journal's file whole (SQLite's quick_check; once, whoever asks first — the server once start-up
    /// recovery has ended, as it reads every page). Damage found closes the journal to writes
    /// (<see cref="JournalIntegrity.DamagedLine"/>). Completes when the check has ended.
    /// </summary>
    public Task CheckFile() => _fileCheck.Value;

    private async Task CheckFileAsync(ILoggingAdapter log)
    {
        try
        {
            var result = await _store.QuickCheckAsync(CancellationToken.None);
            if (string.Equals(result, "ok", StringComparison.Ordinal)) return;
            var found = string.Join("; ", result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => !l.StartsWith("***", StringComparison.Ordinal)).Take(3));
            var line = $"journal {_integrity.JournalName} is damaged (SQLite quick_check: {found}); nothing more is written to it; restore it from a backup";
            _integrity.MarkDamaged(line);
            log.Error(line);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            var line = $"journal {_integrity.JournalName} is damaged ({e.Message.TrimEnd('.')}); nothing more is written to it; restore it from a backup";
            _integrity.MarkDamaged(line);
            log.Error(line);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not run (shutting down, busy): the file is read page by page anyway, and a damaged page fails its read.
            log.Warning("journal {0}: the integrity check of the file did not run ({1})", _integrity.JournalName, e.Message);
        }
    }

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

    public async Task<IReadOnlyList<SessionId>> SessionsToWakeAsync(CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken);
        return await _store.SessionsToWakeAsync(cancellationToken);
    }

    public async IAsyncEnumerable<CallId> AllCallIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken);
        await foreach (var call in _store.AllCallIdsAsync(cancellationToken)) yield return call;
    }

    public async Task<UnsettledApprovals> UnsettledAsync(CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken);
        var rows = await _store.UnsettledApprovalsAsync(cancellationToken);
        var pending = new List<ApprovalRequested>();
        var grantsDue = new List<(ApprovalRequested, ApprovalAnswered)>();
        var wake = new HashSet<SessionId>();
        var problems = new List<string>();
        foreach (var row in rows)
        {
            try
            {
                var request = Read<ApprovalRequested>(row.PersistenceId, row.RequestedSequenceNr, row.Requested);
                if (request.ApprovalId != row.Approval || request.CallId != row.Call || request.Session != row.Session)
                    throw new JournalIntegrityException(_integrity.Line(row.PersistenceId, row.RequestedSequenceNr,
                        $"is not the request of approval {row.Approval} the approval index points to"));
                if (!row.GrantDue)
                {
                    pending.Add(request);
                    continue;
                }
                var answer = Read<ApprovalAnswered>(row.PersistenceId, row.ClosedSequenceNr ?? 0, row.Answer);
                if (answer.ApprovalId != row.Approval)
                    throw new JournalIntegrityException(_integrity.Line(row.PersistenceId, row.ClosedSequenceNr ?? 0,
                        $"is not the answer of approval {row.Approval} the approval index points to"));
                grantsDue.Add((request, answer));
            }
            catch (JournalIntegrityException e)
            {
                wake.Add(row.Session);
                problems.Add(e.Message);
            }
        }
        return new UnsettledApprovals(pending, grantsDue, [.. wake], problems);
    }

    public async Task<(SessionId Session, CallId Call)?> FindApprovalAsync(ApprovalId approval, CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken);
        return await _store.FindApprovalAsync(approval, cancellationToken);
    }

    private T Read<T>(string persistenceId, long sequenceNr, StoredEvent? stored) where T : class =>
        stored is null
            ? throw new JournalIntegrityException(_integrity.Line(persistenceId, sequenceNr, "is missing though the approval index points to it"))
            : _integrity.OpenStored(persistenceId, sequenceNr, stored) as T
              ?? throw new JournalIntegrityException(_integrity.Line(persistenceId, sequenceNr, $"is not the {typeof(T).Name} the approval index points to"));

    private async Task PrepareAsync(ActorSystem system, ILoggingAdapter log)
    {
        try
        {
            var clock = Stopwatch.StartNew();
            if (await _store.CreateAsync(CancellationToken.None))
            {
                var (calls, open) = await CallDirectoryBackfill.RunAsync(_store, system, CancellationToken.None);
                if (calls > 0)
                    log.Info("call directory: filled from the journal (written before the directory existed): {0} calls, {1} open, in {2:0.00} s",
                        calls, open, clock.Elapsed.TotalSeconds);
            }
            clock.Restart();
            if (await ApprovalIndexBackfill.PrepareAsync(_store, system, CancellationToken.None) is > 0 and var approvals)
                log.Info("approval index: filled from the journal (written before the index existed): {0} approvals in {1:0.00} s",
                    approvals, clock.Elapsed.TotalSeconds);
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
