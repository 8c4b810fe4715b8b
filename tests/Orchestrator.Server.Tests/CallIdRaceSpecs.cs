using System.Net;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Actors.Hosting;

namespace Orchestrator.Server.Tests;

/// <summary>Call ids are unique across sessions atomically: the id is claimed in the call index before anything is recorded.</summary>
public sealed class CallIdRaceSpecs
{
    [Fact]
    public async Task A_thousand_concurrent_submissions_of_one_id_across_sessions_record_it_exactly_once()
    {
        await using var host = await ServerHost.StartAsync(o => o with { PerAgentCapacity = 64, GlobalCapacity = 2048 });
        const int Submissions = 1000;
        var responses = await Task.WhenAll(Enumerable.Range(0, Submissions).Select(i =>
            host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", agent: $"agent-{i % 50}", session: $"race-{i}", id: "the-one-id"))));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(Submissions - 1, statuses.Count(s => s == HttpStatusCode.Conflict));
        var winner = (await ServerHost.JsonOf(responses.Single(r => r.StatusCode == HttpStatusCode.Created))).GetProperty("sessionId").GetString();
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            Assert.Contains($"already used in session {winner}", (await ServerHost.JsonOf(conflict)).GetProperty("error").GetString());

        // The journal agrees: exactly one session has any event at all.
        var system = host.Services.GetRequiredService<ActorSystem>();
        var recorded = await (await OrchestratorReadJournal.OfAsync(system)).CurrentPersistenceIds()
            .Where(id => id.StartsWith("session-race-", StringComparison.Ordinal))
            .RunWith(Sink.Seq<string>(), system.Materializer());
        Assert.Equal([$"session-{winner}"], recorded);
    }

    [Fact]
    public async Task A_claim_refused_before_anything_is_recorded_is_released_so_the_id_stays_usable()
    {
        await using var host = await ServerHost.StartAsync();
        // The same id resubmitted concurrently in one session is one call: 201 once, 200 for the rest.
        var same = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", session: "one", id: "shared"))));
        Assert.Equal(1, same.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, same.Count(r => r.StatusCode == HttpStatusCode.OK));
        var other = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", session: "two", id: "shared"));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
    }
}
