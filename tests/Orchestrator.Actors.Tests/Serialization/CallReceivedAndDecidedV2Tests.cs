using System.Buffers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests.Serialization;

/// <summary>The compact stored form of the automatic path's event, <c>call-received-and-decided.v2</c>.</summary>
public sealed class CallReceivedAndDecidedV2Tests
{
    private static byte[] Encode(CallReceivedAndDecided e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) CallReceivedAndDecidedV2.Write(writer, e);
        return buffer.WrittenSpan.ToArray();
    }

    private static CallReceivedAndDecided Decode(string json) => CallReceivedAndDecidedV2.ReadEvent(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Every_generated_event_decodes_to_the_event_encoded() =>
        CallEventGen.Events.Sample(e =>
        {
            var back = CallReceivedAndDecidedV2.ReadEvent(Encode(e));
            Assert.Equal(EventJson.Of(e), EventJson.Of(back));
            // Same instant is not enough: the offset each part was recorded with comes back too.
            Assert.Equal(e.Parts().Select(Times), back.Parts().Select(Times));
        }, iter: 3000);

    private static string Times(CallEvent e) => string.Join(",", e.GetType().GetProperties()
        .Where(p => p.PropertyType == typeof(DateTimeOffset)).Select(p => ((DateTimeOffset)p.GetValue(e)!).ToString("O")));

    [Fact]
    public void The_call_id_agent_session_and_equal_timestamps_are_written_once_and_nulls_not_at_all() =>
        CallEventGen.Events.Sample(e =>
        {
            var json = Encoding.UTF8.GetString(Encode(e));
            var sameEverywhere = e.Parts().All(p => p.CallId == e.CallId) && e.Received.Call.Id == e.CallId;
            if (sameEverywhere) Assert.Single(Occurrences(json, "\"callId\":"));
            Assert.DoesNotContain("\"requested\":null", json);
            if (e.Received.Call.SubmittedBy is null) Assert.DoesNotContain("submittedBy", json);
            if (e.Decided.DecidedAt.EqualsExact(e.Received.ReceivedAt)) Assert.DoesNotContain("decidedAt", json);
        }, iter: 500);

    private static IEnumerable<int> Occurrences(string text, string part)
    {
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) yield return i;
    }

    private const string Minimal =
        """{"callId":"c-1","received":{"agent":"a","session":"s","receivedAt":"2026-01-01T00:00:00+00:00","call":{"toolName":"Bash","input":{},"workingDirectory":"/w"},"intent":"decideOnly"},"decided":{"verdict":{"decision":"allow","reasonClass":"readOnly","reason":"r","mode":{"sandbox":"workspaceWrite","approval":"untrusted","network":"off"},"policyVersion":"v"}}}""";

    [Fact]
    public void A_member_left_out_takes_its_implied_value_and_an_explicit_null_stays_null()
    {
        var implied = Decode(Minimal);
        Assert.Equal("r", implied.Decided.Verdict.ClassifierReason);
        Assert.Equal("c-1", implied.Received.IdempotencyKey);
        Assert.Equal(implied.Received.ReceivedAt, implied.Decided.DecidedAt);
        Assert.Null(implied.Completed);

        var explicitNull = Decode(Minimal.Replace("\"reason\":\"r\",", "\"reason\":\"r\",\"classifierReason\":null,"));
        Assert.Null(explicitNull.Decided.Verdict.ClassifierReason);
    }

    [Theory]
    [InlineData("\"intent\":\"decideOnly\"", "\"intent\":\"decideOnly\",\"extra\":1", "\"extra\" is not a member here")]
    [InlineData("\"toolName\":\"Bash\"", "\"toolName\":\"Bash\",\"toolName\":\"Bash\"", "\"toolName\" is given twice")]
    [InlineData(",\"policyVersion\":\"v\"", "", "\"policyVersion\" is missing")]
    [InlineData("\"toolName\":\"Bash\"", "\"toolName\":null", "Expected a string")]
    [InlineData("\"decision\":\"allow\"", "\"decision\":0", "Expected a Decision name")]
    [InlineData("\"decision\":\"allow\"", "\"decision\":\"Allow\"", "\"Allow\" is not a Decision")]
    [InlineData("\"receivedAt\":\"2026-01-01T00:00:00+00:00\"", "\"receivedAt\":\"yesterday\"", "Expected a date and time")]
    [InlineData("{\"callId\":\"c-1\",", "{", "\"callId\" must come first")]
    [InlineData("\"input\":{}", "\"input\":{\"k\":\"1\",\"k\":\"2\"}", "\"k\" is given twice")]
    [InlineData("\"input\":{}", "\"input\":{\"k\":1}", "Expected a string")]
    public void A_malformed_v2_event_is_refused_naming_what_is_wrong(string part, string replacement, string expected)
    {
        Assert.Contains(part, Minimal);
        var error = Assert.ThrowsAny<JsonException>(() => Decode(Minimal.Replace(part, replacement)));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"callId\":\"c-1\"}")]
    [InlineData("{\"callId\":\"c-1\",\"decided\":{}}")]
    public void A_v2_event_that_is_not_an_object_or_lacks_its_submission_or_decision_is_refused(string json) =>
        Assert.ThrowsAny<JsonException>(() => Decode(json));

    [Fact]
    public void Data_after_the_event_is_refused() =>
        Assert.ThrowsAny<JsonException>(() => Decode(Minimal + "{}"));

    [Theory]
    [InlineData("policyVersion")]
    [InlineData("reason")]
    [InlineData("toolName")]
    public void A_null_where_the_type_allows_none_is_refused_when_written_as_v1_refuses_it_not_sealed_to_fail_every_read(string member)
    {
        var e = Decode(Minimal);
        var broken = member switch
        {
            "policyVersion" => e with { Decided = e.Decided with { Verdict = e.Decided.Verdict with { PolicyVersion = null! } } },
            "reason" => e with { Decided = e.Decided with { Verdict = e.Decided.Verdict with { Reason = null!, ClassifierReason = "c" } } },
            _ => e with { Received = e.Received with { Call = e.Received.Call with { ToolName = null! } } },
        };

        Assert.Contains($"\"{member}\" is null", Assert.ThrowsAny<JsonException>(() => Encode(broken)).Message);
        Assert.ThrowsAny<JsonException>(() => EventJson.Of(broken));
    }

    [Fact]
    public void Nulls_inside_the_input_and_a_facts_name_list_come_back_as_v1_keeps_them()
    {
        var e = Decode(Minimal);
        var facts = new Core.Paths.FileFacts([new Core.Paths.FileFact("/w", Core.Paths.FileFactKind.Matches, Glob: "*", Names: ["a", null!])], Complete: true);
        var withNulls = e with
        {
            Received = e.Received with { Call = e.Received.Call with { Input = e.Received.Call.Input.Add("k", null!) } },
            Decided = e.Decided with { Verdict = e.Decided.Verdict with { Facts = facts } },
        };

        var back = CallReceivedAndDecidedV2.ReadEvent(Encode(withNulls));

        Assert.Equal(EventJson.Of(withNulls), EventJson.Of(back));
        Assert.Null(back.Received.Call.Input["k"]);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_in_a_string_are_refused_as_a_malformed_event()
    {
        var bytes = Encoding.UTF8.GetBytes(Minimal.Replace("\"toolName\":\"Bash\"", "\"toolName\":\"B#sh\""));
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xC3; // a lead byte with no continuation

        Assert.ThrowsAny<JsonException>(() => CallReceivedAndDecidedV2.ReadEvent(bytes));
    }

    [Fact]
    public void An_event_whose_own_call_id_is_not_its_submissions_is_not_written()
    {
        var e = Decode(Minimal);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Encode(e with { CallId = new Core.Calls.CallId("other") }));
    }
}
