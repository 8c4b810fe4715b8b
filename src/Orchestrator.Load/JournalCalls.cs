using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Journal;

namespace Orchestrator.Load;

/// <summary>
/// What a journal's rows say about calls, read back directly (read-only, the server may be running): rows by manifest,
/// the call ids the payloads name (top-level <c>callId</c>) and each call's recorded outcome (the <c>outcome</c> of its
/// completion) — what a load run's report is checked against.
/// </summary>
public sealed record JournalCalls(long Rows, IReadOnlyDictionary<string, long> Manifests, IReadOnlySet<string> CallIds,
    IReadOnlyDictionary<string, string> Outcomes)
{
    /// <summary>The highest row ordering of a SQLite journal (0 when empty or not created yet): where a run starts.</summary>
    public static long HighWater(string sqliteDatabase)
    {
        if (!File.Exists(sqliteDatabase)) return 0;
        using var connection = Open(sqliteDatabase);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(ordering), 0) FROM journal";
        try { return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture); }
        catch (SqliteException) { return 0; } // no journal table yet
    }

    /// <summary>The rows of a SQLite journal after <paramref name="afterOrdering"/>.</summary>
    public static JournalCalls Read(string sqliteDatabase, long afterOrdering = 0) => Of(RowsOf(sqliteDatabase, afterOrdering));

    public static JournalCalls Of(IEnumerable<(string Manifest, byte[] Payload)> rows)
    {
        long count = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var manifests = new Dictionary<string, long>(StringComparer.Ordinal);
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (manifest, payload) in rows)
        {
            count++;
            manifests[manifest] = manifests.GetValueOrDefault(manifest) + 1;
            using var doc = JsonDocument.Parse(SealedEventSerializer.EventBytes(payload));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("callId", out var id) || id.GetString() is not { } callId) continue;
            ids.Add(callId);
            // A completion is its own row, or a part of the row that received and decided the call.
            var completion = doc.RootElement.TryGetProperty("completed", out var part) && part.ValueKind == JsonValueKind.Object ? part : doc.RootElement;
            if (completion.TryGetProperty("outcome", out var outcome) && outcome.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                outcomes[callId] = outcome.ToString();
        }
        return new JournalCalls(count, manifests, ids, outcomes);
    }

    private static IEnumerable<(string Manifest, byte[] Payload)> RowsOf(string sqliteDatabase, long afterOrdering)
    {
        using var connection = Open(sqliteDatabase);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest, message FROM journal WHERE ordering > $after ORDER BY ordering";
        command.Parameters.AddWithValue("$after", afterOrdering);
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return (reader.GetString(0), (byte[])reader.GetValue(1));
    }

    private static SqliteConnection Open(string sqliteDatabase)
    {
        var connection = new SqliteConnection($"Data Source={sqliteDatabase};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
