using System.Net;
using System.Net.Http.Json;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Issue 9 item 4 over HTTP: the approval shows everything that will run (only plain-literal secrets masked) and a
/// session grant given for one real command never covers another that is shown the same.
/// </summary>
public sealed class RealCommandApprovalSpecs : IAsyncLifetime
{
    private const string Literal = "printf '%s' \"Authorization: Bearer abc123\"";
    private const string Payload = "printf '%s' \"Authorization: Bearer a$(touch${IFS}victim)\"";
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(o => o with
    {
        Approver = null,
        Policy = o.Policy with { AskRules = ["Bash(printf:*)"] },
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<System.Text.Json.JsonElement> SubmitAsync(string command, string id)
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash(command, id: id, intent: "execute"));
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await ServerHost.JsonOf(response);
    }

    private async Task<System.Text.Json.JsonElement> PendingAsync(string callId)
    {
        var list = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/approvals"));
        return Assert.Single(list.GetProperty("approvals").EnumerateArray(), a => a.GetProperty("callId").GetString() == callId);
    }

    [Fact]
    public async Task A_session_grant_for_a_literal_token_does_not_cover_a_payload_that_masks_alike_and_the_payload_is_shown_in_full()
    {
        var literal = await SubmitAsync(Literal, "literal-1");
        Assert.Equal("awaiting-approval", literal.GetProperty("status").GetString());
        var shown = await PendingAsync("literal-1");
        Assert.Contains("Bearer ***", shown.GetRawText());
        Assert.DoesNotContain("abc123", shown.GetRawText());

        var approvalId = literal.GetProperty("pendingApproval").GetProperty("approvalId").GetString();
        var answer = await _host.Client.PostAsJsonAsync($"/v1/approvals/{approvalId}", new { decision = "approve", scope = "session" });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        var again = await SubmitAsync(Literal, "literal-2");
        Assert.NotEqual("awaiting-approval", again.GetProperty("status").GetString());

        var attack = await SubmitAsync(Payload, "payload-1");
        Assert.Equal("awaiting-approval", attack.GetProperty("status").GetString());
        var pending = await PendingAsync("payload-1");
        Assert.Contains("Bearer a$(touch${IFS}victim)", pending.GetProperty("summary").GetString());
        Assert.False(File.Exists(Path.Combine(_host.Project, "victim")));
    }
}
