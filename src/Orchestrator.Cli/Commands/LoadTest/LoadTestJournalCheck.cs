using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Load;

namespace Orchestrator.Cli.Commands.LoadTest;

/// <summary>
/// The report checked against the journal: every call answered to an agent is recorded with the outcome the agent was
/// told. Read directly from the SQLite journal when it is on this machine (the rows the run added, read-only while the
/// server runs), else call by call through <c>GET /v1/calls/{id}</c> (journal growth then unknown).
/// </summary>
internal sealed record LoadTestJournalCheck(string Source, long? RowsAdded, long Checked, long Recorded, long Missing, long OutcomeMismatches,
    long RecordedButUnanswered, string? FirstProblem)
{
    public bool Verified => Missing == 0 && OutcomeMismatches == 0 && Checked > 0;

    public static LoadTestJournalCheck FromDatabase(string database, long startOrdering, IReadOnlyDictionary<string, string> answered, string prefix)
    {
        var journal = JournalCalls.Read(database, startOrdering);
        var ours = journal.CallIds.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        long missing = 0, mismatches = 0;
        string? first = null;
        foreach (var (id, outcome) in answered)
        {
            if (!ours.Contains(id)) { missing++; first ??= $"call {id} was answered ({outcome}) but is not in the journal"; }
            else if (!journal.Outcomes.TryGetValue(id, out var recorded) || Normal(recorded) != Normal(outcome))
            {
                mismatches++;
                first ??= $"call {id} was answered {outcome}, the journal records {(journal.Outcomes.GetValueOrDefault(id) ?? "no outcome")}";
            }
        }
        return new LoadTestJournalCheck("journal", journal.Rows, answered.Count, ours.Count, missing, mismatches,
            ours.Count(id => !answered.ContainsKey(id)), first);
    }

    public static async Task<LoadTestJournalCheck> ThroughApiAsync(HttpClient http, IReadOnlyDictionary<string, string> answered, CancellationToken ct)
    {
        long recorded = 0, missing = 0, mismatches = 0;
        string? first = null;
        await Parallel.ForEachAsync(answered, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (entry, token) =>
        {
            var (id, outcome) = entry;
            using var response = await http.GetAsync($"v1/calls/{Uri.EscapeDataString(id)}", token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref missing);
                Interlocked.CompareExchange(ref first, $"call {id} was answered ({outcome}) but GET /v1/calls/{id} says HTTP {(int)response.StatusCode}", null);
                return;
            }
            Interlocked.Increment(ref recorded);
            var view = await response.Content.ReadFromJsonAsync<JsonElement>(token).ConfigureAwait(false);
            if (LoadTestHttp.Text(view, "outcome") is not { } held || Normal(held) != Normal(outcome))
            {
                Interlocked.Increment(ref mismatches);
                Interlocked.CompareExchange(ref first, $"call {id} was answered {outcome}, the server records {LoadTestHttp.Text(view, "outcome") ?? "no outcome"}", null);
            }
        }).ConfigureAwait(false);
        return new LoadTestJournalCheck("api", null, answered.Count, recorded, missing, mismatches, 0, first);
    }

    /// <summary>An outcome as a comparable word: <c>AllowedAndRan</c>, <c>allowed-and-ran</c> and <c>allowed_and_ran</c> alike.</summary>
    private static string Normal(string outcome) => new([.. outcome.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
}
