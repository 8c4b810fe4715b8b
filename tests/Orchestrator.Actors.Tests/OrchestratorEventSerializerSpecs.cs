using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.History;

namespace Orchestrator.Actors.Tests;

/// <summary>Our event serializer, on a hosted system with Orchestrator's serialization (the TestKit system itself).</summary>
public sealed class OrchestratorEventSerializerSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private readonly EventTypeRegistry _registry = EventTypeRegistry.Discover([typeof(TestThingHappened).Assembly]);

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithOrchestratorSerialization([typeof(TestThingHappened).Assembly]);

    private OrchestratorEventSerializer Serializer => new((ExtendedActorSystem)Sys, _registry);

    [Fact]
    public void Every_discovered_event_type_round_trips_under_its_own_manifest()
    {
        var coreEvents = _registry.EventTypes.Count(t => t.Assembly == EventTypeRegistry.CoreAssembly);
        Output?.WriteLine($"{_registry.EventTypes.Count} event types discovered, {coreEvents} of them in Orchestrator.Core");
        Assert.NotEmpty(_registry.EventTypes); // the test events at least

        Assert.All(_registry.EventTypes, type =>
        {
            var sample = SampleValues.Create(type) ?? throw new InvalidOperationException($"no sample for {type}");
            var manifest = Serializer.Manifest(sample);
            var bytes = Serializer.ToBinary(sample);

            var back = Serializer.FromBinary(bytes, manifest);

            var declared = type.GetCustomAttributes(typeof(EventManifestAttribute), false).Cast<EventManifestAttribute>().Single().Manifest;
            Assert.Equal(StoredEncodings.ForType(type)?.Manifest ?? declared, manifest);
            Assert.IsType(type, back);
            Assert.Equal(EventJson.Of(sample), EventJson.Of(back));
        });
    }

    [Fact]
    public void The_bytes_written_into_the_threads_reused_buffer_are_exactly_ToBinarys_whatever_was_written_before()
    {
        var samples = _registry.EventTypes.Select(t => SampleValues.Create(t)!).ToList();
        // Largest first, then each again: a shorter event after a longer one must not carry the longer one's tail.
        var order = samples.OrderByDescending(e => Serializer.ToBinary(e).Length).Concat(samples).ToList();

        Assert.All(order, sample => Assert.Equal(Serializer.ToBinary(sample), Serializer.ToThreadBuffer(sample).ToArray()));
        Assert.Throws<SerializationException>(() => Serializer.ToThreadBuffer(new object()));
        Assert.Equal(Serializer.ToBinary(samples[0]), Serializer.ToThreadBuffer(samples[0]).ToArray());
    }

    [Fact]
    public void An_event_reads_the_same_from_a_slice_of_a_larger_buffer()
    {
        var sample = TestThingHappened.Sample(3);
        var bytes = Serializer.ToBinary(sample);
        var padded = new byte[bytes.Length + 10];
        bytes.CopyTo(padded.AsSpan(5));

        var back = Serializer.FromBinary(padded.AsSpan(5, bytes.Length), Serializer.Manifest(sample));

        Assert.Equal(EventJson.Of(sample), EventJson.Of(back));
    }

    [Fact]
    public void Events_are_camelCase_json_with_enum_names_bare_ids_and_no_type_names()
    {
        var json = Encoding.UTF8.GetString(Serializer.ToBinary(TestThingHappened.Sample(2)));

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("c-2", root.GetProperty("callId").GetString());
        Assert.Equal("deepBlue", root.GetProperty("colour").GetString());
        Assert.Equal(["a", "label-2"], root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, root.GetProperty("counts").GetProperty("Key.With.Dots").GetInt32());
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Orchestrator", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_an_unknown_manifest_throws_a_SerializationException_naming_it()
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary("{}"u8.ToArray(), "call-vanished.v9"));

        Assert.Contains("\"call-vanished.v9\"", error.Message);
    }

    [Fact]
    public void Reading_json_of_the_wrong_shape_throws_a_SerializationException_naming_the_manifest()
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary("{\"number\":\"seven\"}"u8.ToArray(), "test-thing-happened.v1"));

        Assert.Contains("\"test-thing-happened.v1\"", error.Message);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"from\":\"a\"}")]
    [InlineData("{\"from\":null,\"to\":\"b\",\"aliases\":null}")]
    [InlineData("{\"from\":\"a\",\"to\":\"b\",\"aliases\":null,\"approved\":true}")]
    public void An_event_missing_a_required_member_null_where_none_is_allowed_or_with_an_unknown_member_is_refused_naming_it(string json)
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(json), "test-thing-renamed.v1"));

        Assert.Contains("\"test-thing-renamed.v1\"", error.Message);
    }

    [Fact]
    public void A_nullable_member_may_be_null() =>
        Assert.Equal(new TestThingRenamed("a", "b", null), Serializer.FromBinary("{\"from\":\"a\",\"to\":\"b\",\"aliases\":null}"u8.ToArray(), "test-thing-renamed.v1"));

    [Fact]
    public void An_execution_finished_recorded_before_outputs_were_reads_without_output_and_one_with_output_keeps_its_bytes()
    {
        const string old = """
            {"callId":"c-1","result":{"exitCode":0,"timedOut":false,"signal":null,"duration":"00:00:01","stdoutBytes":3,"stderrBytes":0,
             "stdoutTruncated":false,"stderrTruncated":false,"stdoutDigest":"sha256:o","stderrDigest":"sha256:e","createdProtectedPaths":[]},
             "finishedAt":"2026-01-01T00:00:00+00:00"}
            """;
        var before = Assert.IsType<Core.History.Events.ExecutionFinished>(Serializer.FromBinary(Encoding.UTF8.GetBytes(old), "execution-finished.v1"));
        Assert.Null(before.Result.Output);

        var kept = new Core.History.Events.RecordedOutput(Core.History.Events.KeptStream.Of([0x00, 0xff, 0x41], "z"u8), Core.History.Events.KeptStream.Of([], []));
        var withOutput = before with { Result = before.Result with { Output = kept } };
        var back = Assert.IsType<Core.History.Events.ExecutionFinished>(Serializer.FromBinary(Serializer.ToBinary(withOutput), "execution-finished.v1"));
        Assert.Equal(kept, back.Result.Output);
        Assert.Equal([0x00, 0xff, 0x41], Convert.FromBase64String(back.Result.Output!.Stdout.Head));
    }

    [Fact]
    public void Writing_a_type_without_a_manifest_throws_a_SerializationException()
    {
        Assert.Throws<SerializationException>(() => Serializer.ToBinary(new Uri("https://example.com")));
    }

    [Fact]
    public void A_hosted_actor_system_binds_every_event_type_to_the_serializer_with_the_fixed_identifier()
    {
        Assert.All(_registry.EventTypes, type =>
        {
            var serializer = Sys.Serialization.FindSerializerForType(type);
            Assert.IsType<OrchestratorEventSerializer>(serializer);
            Assert.Equal(OrchestratorEventSerializer.SerializerId, serializer.Identifier);
        });
        var bytes = Sys.Serialization.FindSerializerFor(TestThingHappened.Sample(4)).ToBinary(TestThingHappened.Sample(4));
        var back = Sys.Serialization.Deserialize(bytes, OrchestratorEventSerializer.SerializerId, "test-thing-happened.v1");
        Assert.Equal(EventJson.Of(TestThingHappened.Sample(4)), EventJson.Of(back));
    }

    [Fact]
    public async Task A_duplicate_manifest_stops_the_host_from_starting_before_the_store_is_touched()
    {
        var data = Path.Combine(Path.GetTempPath(), "orchestrator-specs", Guid.NewGuid().ToString("N"));
        var clash = DynamicEventAssembly.WithEvents(("Clash", "test-counted.v1"));
        var options = PersistenceOptions.Sqlite(data) with { EventAssemblies = [typeof(TestThingHappened).Assembly, clash] };
        try
        {
            // A host that fails to start is what is proved: that host, not the TestKit system.
            var error = await Record.ExceptionAsync(async () =>
            {
                using var host = new HostBuilder()
                    .ConfigureServices(s => s.AddAkka("clash", b => b.WithOrchestratorPersistence(options)))
                    .Build();
                await host.StartAsync();
                await host.StopAsync();
            });

            Assert.NotNull(error);
            var registration = Flatten(error).OfType<EventRegistrationException>().FirstOrDefault();
            Assert.True(registration is not null, $"expected an EventRegistrationException, got: {error}");
            Assert.Contains("\"test-counted.v1\"", registration.Message);
            Assert.False(Directory.Exists(data), "the store is not touched when the event registration is invalid");
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        if (e is AggregateException aggregate)
            foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten)) yield return inner;
        else if (e.InnerException is not null)
            foreach (var inner in Flatten(e.InnerException)) yield return inner;
    }
}
