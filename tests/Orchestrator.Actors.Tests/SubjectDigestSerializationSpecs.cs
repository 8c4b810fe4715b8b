using System.Text.Json;
using Orchestrator.Actors.Serialization;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests;

/// <summary>The optional <c>subjectDigest</c> of approval-requested.v1 and grant-added.v1 in the stored JSON contract.</summary>
public class SubjectDigestSerializationSpecs
{
    [Fact]
    public void An_approval_request_and_a_grant_written_before_digests_read_with_none_and_cover_only_their_literal_text()
    {
        const string request = """
            {"callId":"c-1","approvalId":"ap-1","agent":"a-1","session":"s-1","tool":"Bash","subject":"API_TOKEN=*** ./deploy",
             "callSummary":"Bash: API_TOKEN=*** ./deploy","reasonClass":"ruleAsk","reason":"ask","requestedScope":"once",
             "approverGroup":"operators","escalationLevel":0,"requestedAt":"2026-01-01T00:00:00+00:00","deadline":"2026-01-01T00:10:00+00:00"}
            """;
        const string grant = """
            {"grantId":"g-1","scope":"session","ruleText":"Bash(API_TOKEN=*** ./deploy)","tool":"Bash","subject":"API_TOKEN=*** ./deploy",
             "session":"s-1","agent":"a-1","fromApproval":"ap-1","by":"alice","at":"2026-01-01T00:01:00+00:00"}
            """;

        var requested = JsonSerializer.Deserialize<ApprovalRequested>(request, EventJsonOptions.Default)!;
        var added = JsonSerializer.Deserialize<GrantAdded>(grant, EventJsonOptions.Default)!;

        Assert.Null(requested.SubjectDigest);
        Assert.Null(added.SubjectDigest);
        Assert.Equal(GrantSubject.DigestOf("API_TOKEN=*** ./deploy"), Grant.From(added).Subject.Digest);
    }

    [Fact]
    public void A_digest_survives_the_stored_json()
    {
        var digest = GrantSubject.DigestOf("curl -H 'Authorization: Bearer abc123' x");
        var added = new GrantAdded(new GrantId("g-1"), GrantScope.Session, "Bash(curl -H 'Authorization: Bearer ***' x)", "Bash",
            "curl -H 'Authorization: Bearer ***' x", new("s-1"), new("a-1"), new ApprovalId("ap-1"), "alice",
            DateTimeOffset.UnixEpoch, digest);

        var json = JsonSerializer.Serialize(added, EventJsonOptions.Default);

        Assert.Contains($"\"subjectDigest\":\"{digest}\"", json);
        Assert.DoesNotContain("abc123", json);
        Assert.Equal(added, JsonSerializer.Deserialize<GrantAdded>(json, EventJsonOptions.Default));
    }
}
