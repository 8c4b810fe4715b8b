using System.Data.Common;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Policies;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.History;

/// <summary>
/// The decision history read straight from the journal's table in its global order (<c>ordering</c>), each row opened
/// only once its seal is checked: pages of calls for <c>orchestrator history</c> and <c>GET /v1/history</c>, the
/// recorded decisions and policies a what-if replay judges again. Works in a server and on a journal no server holds
/// (an actor system with only the journal's configuration). The cursor of a page is the position of the last call it
/// went past: the next page starts after it.
/// </summary>
public sealed partial class JournalHistory : IAsyncDisposable
{
    private static readonly string[] DecisionManifests = JournalScan.ManifestsOf(typeof(CallReceived), typeof(CallReceivedAndDecided), typeof(CallDecided));
    private static readonly string[] ShadowManifests = JournalScan.ManifestsOf(typeof(ShadowDisagreed));
    private static readonly string[] PolicyManifests = JournalScan.ManifestsOf(typeof(PolicyLoaded));

    private readonly CallDirectoryStore _store;
    private readonly JournalIntegrity _integrity;
    private readonly CallDirectory _directory;

    public JournalHistory(ActorSystem system)
    {
        var config = system.Settings.Config.GetConfig(CallDirectory.JournalConfigPath)
            ?? throw new InvalidOperationException($"{CallDirectory.JournalConfigPath} is not configured: there is no journal to read.");
        var schema = config.GetString("default.schema-name", null);
        _store = CallDirectoryStore.For(config.GetString("provider-name"), config.GetString("connection-string"),
            string.IsNullOrEmpty(schema) || schema == "null" ? null : schema);
        _integrity = JournalIntegrity.Get(system);
        _directory = CallDirectory.Get(system);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> calls matching <paramref name="filter"/> whose first event lies after
    /// <paramref name="after"/>, from the history read model (<see cref="CallDirectoryStore.HistoryRowsAsync"/>): the
    /// same page a scan of the journal itself gives (the tests' check: every event of each call folded, in journal order).
    /// </summary>
    public async Task<HistoryPage> ListAsync(HistoryFilter filter, long after, int limit, CancellationToken cancellationToken = default)
    {
        await ModelCaughtUpAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<CallSummary>();
        var cursor = after;
        while (true)
        {
            // SQL compares what it can; every row is checked again here (a row SQL let through but the filter does not is passed over).
            var wanted = limit - page.Count;
            var read = 0;
            await foreach (var call in _store.HistoryRowsAsync(filter, cursor, wanted, cancellationToken).ConfigureAwait(false))
            {
                read++;
                cursor = call.Position;
                if (filter.Matches(call)) page.Add(call);
            }
            if (page.Count >= limit || read < wanted) break;
        }
        return new HistoryPage(page, page.Count >= limit ? page[^1].Position : null);
    }

    /// <summary>How long a read of the history read model waits for it to hold every call committed before the read.</summary>
    public TimeSpan ModelWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Read-your-writes: waits (at most <see cref="ModelWait"/>) until the history read model holds every journal row
    /// committed before this call (whose position it returns), else throws <see cref="HistoryModelBehindException"/>.
    /// </summary>
    private async Task<long> ModelCaughtUpAsync(CancellationToken cancellationToken)
    {
        await _directory.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var end = await _store.JournalEndAsync(cancellationToken).ConfigureAwait(false);
        if (!await _directory.History.CaughtUpAsync(end, ModelWait, cancellationToken).ConfigureAwait(false))
            throw new HistoryModelBehindException(CallDirectoryStore.HistoryTableName, _directory.History.Position, end);
        return end;
    }

    /// <summary>
    /// The recorded decisions (each call's first) after <paramref name="after"/>, in journal order with their
    /// positions, of calls received within [from, to) and of <paramref name="agent"/> when given. A call received but
    /// not yet decided waits in <paramref name="pending"/>, so a reader that goes on later (the shadow) still finds it.
    /// The rows are opened on <paramref name="parallelism"/> cores (in order all the same).
    /// </summary>
    public async IAsyncEnumerable<(long Position, RecordedDecision Decision)> DecisionsAsync(long after, DateTimeOffset? from, DateTimeOffset? to,
        string? agent, Dictionary<string, CallReceived>? pending = null, [EnumeratorCancellation] CancellationToken cancellationToken = default,
        int parallelism = 1)
    {
        pending ??= new Dictionary<string, CallReceived>(StringComparer.Ordinal);
        var rows = OrderedParallel.SelectAsync(StoredRowsAsync(DecisionManifests, after, cancellationToken), Open, parallelism,
            cancellationToken: cancellationToken);
        await foreach (var (position, _, evt) in rows.ConfigureAwait(false))
        {
            switch (evt)
            {
                case CallReceivedAndDecided both when Wanted(both.Received):
                    yield return (position, RecordedDecision.From(both.Received, both.Decided, _integrity.InputCipher));
                    break;
                case CallReceived r when Wanted(r):
                    pending[r.CallId.Value] = r;
                    break;
                case CallDecided d when pending.Remove(d.CallId.Value, out var r):
                    yield return (position, RecordedDecision.From(r, d, _integrity.InputCipher));
                    break;
            }
        }
        bool Wanted(CallReceived r) => Selected(r.Agent, r.ReceivedAt, from, to, agent);
    }

    /// <summary>Whether a call of <paramref name="callAgent"/> received at <paramref name="receivedAt"/> is within [from, to) and of <paramref name="agent"/> (when given).</summary>
    private static bool Selected(Core.Calls.AgentId callAgent, DateTimeOffset receivedAt, DateTimeOffset? from, DateTimeOffset? to, string? agent) =>
        (from is null || receivedAt >= from) && (to is null || receivedAt < to) && (agent is null || callAgent.Value == agent);

    /// <summary>How many calls the journal holds (their first events), for a progress bar.</summary>
    public async Task<long> CountCallsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await _store.JournalExistsAsync(connection, cancellationToken).ConfigureAwait(false)) return 0;
        await using var command = connection.CreateCommand();
        var starts = JournalScan.ManifestsOf(typeof(CallReceived), typeof(CallReceivedAndDecided));
        command.CommandText = $"SELECT COUNT(*) FROM {_store.JournalTable} WHERE manifest IN ({string.Join(", ", starts.Select((_, i) => "@m" + i))})";
        for (var i = 0; i < starts.Length; i++) Add(command, "@m" + i, starts[i]);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The position of the journal's last row (0 when empty): where a reader of only what comes next starts.</summary>
    public Task<long> EndAsync(CancellationToken cancellationToken = default) => _store.JournalEndAsync(cancellationToken);

    /// <summary>What the shadow policy disagreed with, by rule (before: enforced, after: the candidate's), with examples.</summary>
    public async Task<ReplayReport> ShadowReportAsync(CancellationToken cancellationToken = default)
    {
        var report = new ReplayReportBuilder();
        await foreach (var (_, _, evt) in RowsAsync(ShadowManifests, 0, cancellationToken).ConfigureAwait(false))
            if (evt is ShadowDisagreed d)
                report.AddChange(d.Rule, d.Enforced, d.Candidate, new ReplayExample(d.CallId.Value, d.Tool, d.Agent.Value, d.Reason));
        return report.Build();
    }

    /// <summary>Every recorded policy, by version.</summary>
    public async Task<IReadOnlyDictionary<string, PolicyLoaded>> PoliciesAsync(CancellationToken cancellationToken = default)
    {
        var policies = new Dictionary<string, PolicyLoaded>(StringComparer.Ordinal);
        await foreach (var (_, _, evt) in RowsAsync(PolicyManifests, 0, cancellationToken, PolicyRecorder.PersistenceIdPrefix).ConfigureAwait(false))
            if (evt is PolicyLoaded loaded) policies.TryAdd(loaded.Version, loaded);
        return policies;
    }

    /// <summary>The rows of <paramref name="manifests"/> written by sessions and policy recorders after <paramref name="after"/>, opened.</summary>
    public async IAsyncEnumerable<(long Position, string PersistenceId, object Event)> RowsAsync(IReadOnlyList<string> manifests, long after,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, string? persistenceIdPrefix = null)
    {
        await foreach (var row in StoredRowsAsync(manifests, after, cancellationToken, persistenceIdPrefix).ConfigureAwait(false))
            yield return Open(row);
    }

    /// <summary>A row of <see cref="StoredRowsAsync"/> with its event, once its seal is checked. Thread-safe.</summary>
    public (long Position, string PersistenceId, object Event) Open(StoredJournalRow row) =>
        (row.Position, row.PersistenceId, _integrity.OpenStored(row.PersistenceId, row.SequenceNr, row.Stored));

    /// <summary>The rows <see cref="RowsAsync"/> opens, as stored (unchecked: open each with <see cref="Open(StoredJournalRow)"/>).</summary>
    public async IAsyncEnumerable<StoredJournalRow> StoredRowsAsync(IReadOnlyList<string> manifests, long after,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, string? persistenceIdPrefix = null)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await _store.JournalExistsAsync(connection, cancellationToken).ConfigureAwait(false)) yield break;
        await using var command = connection.CreateCommand();
        var names = string.Join(", ", manifests.Select((_, i) => "@m" + i));
        command.CommandText =
            $"SELECT ordering, persistence_id, sequence_number, identifier, manifest, message FROM {_store.JournalTable} " +
            $"WHERE ordering > @after AND manifest IN ({names}) " +
            // A prefix is a range of the journal's (persistence_id, sequence_number) index: its rows are found without a scan.
            (persistenceIdPrefix is null ? "" : "AND persistence_id >= @lo AND persistence_id < @hi ") +
            "ORDER BY ordering";
        Add(command, "@after", after);
        if (persistenceIdPrefix is not null)
        {
            Add(command, "@lo", persistenceIdPrefix);
            Add(command, "@hi", persistenceIdPrefix[..^1] + (char)(persistenceIdPrefix[^1] + 1));
        }
        for (var i = 0; i < manifests.Count; i++) Add(command, "@m" + i, manifests[i]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var persistenceId = reader.GetString(1);
            if (CallDirectoryChanges.SessionOf(persistenceId) is null && !persistenceId.StartsWith(PolicyRecorder.PersistenceIdPrefix, StringComparison.Ordinal)
                && persistenceId != Shadow.ShadowActor.Name)
                continue;
            yield return new StoredJournalRow(reader.GetInt64(0), persistenceId, reader.GetInt64(2),
                new StoredEvent(reader.GetInt32(3), reader.GetString(4), (byte[])reader.GetValue(5)));
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}

/// <summary>A page of the history: the calls, and the cursor of the next page (null: this was the last).</summary>
public sealed record HistoryPage(IReadOnlyList<CallSummary> Calls, long? Next);
