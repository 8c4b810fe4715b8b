using System.Text;
using Akka.Actor;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests;

/// <summary>The facts inside a recorded verdict are stored with the strict event contract, and journals written before them still read.</summary>
public sealed class RecordedFactsSerializationSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private OrchestratorEventSerializer Serializer =>
        new((ExtendedActorSystem)Sys, EventTypeRegistry.Discover([typeof(TestThingHappened).Assembly]));

    private static readonly FileFacts Facts = new(
    [
        new FileFact("/ws", FileFactKind.Other),
        new FileFact("/ws/link", FileFactKind.Link, Target: "inside"),
        new FileFact("/ws/inside/f.txt", FileFactKind.Missing),
        new FileFact("/ws", FileFactKind.Matches, Glob: ".e*", Names: [".env", ".envrc"]),
        new FileFact("/root/x", FileFactKind.Unreadable, Error: "Permission denied"),
    ]);

    private static CallDecided Decided(FileFacts? facts) => new(new CallId("call-1"),
        new VerdictSummary(Decision.Allow, ReasonClass.WorkspaceWrite, "edit inside the writable roots", null, null,
            new RecordedMode(SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, NetworkAccess.Off, false, true), "v1", facts),
        [], null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_recorded_verdict_with_facts_round_trips_through_the_strict_event_serializer()
    {
        var bytes = Serializer.ToBinary(Decided(Facts));
        var json = Encoding.UTF8.GetString(bytes);

        var back = (CallDecided)Serializer.FromBinary(bytes, "call-decided.v1");

        Assert.Equal(Facts, back.Verdict.Facts);
        Assert.Contains("\"facts\":{\"entries\":[{\"path\":\"/ws\",\"kind\":\"other\"}", json);
        Assert.Contains("{\"path\":\"/ws/link\",\"kind\":\"link\",\"target\":\"inside\"}", json);
    }

    [Fact]
    public void A_verdict_recorded_before_facts_existed_still_reads_with_none()
    {
        var json = Encoding.UTF8.GetString(Serializer.ToBinary(Decided(null))).Replace(",\"facts\":null", "", StringComparison.Ordinal);
        Assert.DoesNotContain("facts", json);

        var back = (CallDecided)Serializer.FromBinary(Encoding.UTF8.GetBytes(json), "call-decided.v1");

        Assert.Null(back.Verdict.Facts);
    }

    [Fact]
    public void A_fact_with_a_member_the_contract_does_not_know_is_refused()
    {
        var json = Encoding.UTF8.GetString(Serializer.ToBinary(Decided(Facts))).Replace("\"kind\":\"missing\"", "\"kind\":\"missing\",\"extra\":3", StringComparison.Ordinal);

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Serializer.FromBinary(Encoding.UTF8.GetBytes(json), "call-decided.v1"));
    }
}
