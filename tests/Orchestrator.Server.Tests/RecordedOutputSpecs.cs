using System.Net;
using System.Net.Http.Json;

namespace Orchestrator.Server.Tests;

/// <summary>Through the real app and the real sandbox: a run's bounded output is recorded with its end and served from there.</summary>
public sealed class RecordedOutputSpecs
{
    [Fact]
    public async Task Output_is_kept_under_the_configured_cap_and_served_from_the_journal_once_the_session_no_longer_holds_it_also_to_a_resubmission()
    {
        await using var host = await ServerHost.StartAsync(o => o with { MaxOutputBytes = 8 });
        var first = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("echo 0123456789abcdefghij", id: "first", intent: "execute", wait: 60));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = (await ServerHost.JsonOf(first)).GetProperty("output");
        Assert.Equal("01234567\n[… 5 bytes omitted …]\ndefghij\n", before.GetProperty("stdout").GetString());
        Assert.True(before.GetProperty("stdoutTruncated").GetBoolean());

        // A session holds the output of its 64 most recent runs; older ones come from their recorded ExecutionFinished.
        for (var i = 0; i < 64; i++)
        {
            var later = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash($"echo run-{i}", id: $"later-{i}", intent: "execute", wait: 60));
            Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        }

        var after = await ServerHost.JsonOf(await host.Client.GetAsync("/v1/calls/first"));
        Assert.Equal(before.GetRawText(), after.GetProperty("output").GetRawText());
        // A client retrying the submission (say, after losing the first answer) gets the call with its output, never a second run.
        var retried = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("echo 0123456789abcdefghij", id: "first", intent: "execute", wait: 60));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(before.GetRawText(), (await ServerHost.JsonOf(retried)).GetProperty("output").GetRawText());
    }
}
