using System.Runtime.Serialization;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests;

public sealed class EventTypeRegistrySpecs
{
    private static readonly System.Reflection.Assembly TestEvents = typeof(TestThingHappened).Assembly;

    [Fact]
    public void Discovers_every_EventManifest_type_in_the_registered_assemblies()
    {
        var registry = EventTypeRegistry.Discover([TestEvents]);

        Assert.Contains("test-thing-happened.v1", registry.Manifests);
        Assert.Contains("test-thing-renamed.v1", registry.Manifests);
        Assert.Contains("test-counted.v1", registry.Manifests);
        Assert.Equal(typeof(TestThingHappened), registry.TypeFor("test-thing-happened.v1"));
        Assert.Equal("test-thing-renamed.v1", registry.ManifestFor(typeof(TestThingRenamed)));
    }

    [Fact]
    public void Always_scans_Orchestrator_Core_even_when_nothing_else_is_registered()
    {
        var coreTypes = EventTypeRegistry.CoreAssembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(Orchestrator.Core.History.EventManifestAttribute), false).Length > 0);

        var registry = EventTypeRegistry.Discover();

        Assert.Equal(coreTypes.OrderBy(t => t.FullName), registry.EventTypes.OrderBy(t => t.FullName));
        Assert.DoesNotContain(typeof(TestThingHappened), registry.EventTypes);
    }

    [Fact]
    public void A_manifest_declared_in_two_assemblies_is_rejected_naming_both_types()
    {
        var other = DynamicEventAssembly.WithEvents(("ThingHappenedElsewhere", "test-thing-happened.v1"));

        var error = Assert.Throws<EventRegistrationException>(() => EventTypeRegistry.Discover([TestEvents, other]));

        Assert.Contains("\"test-thing-happened.v1\"", error.Message);
        Assert.Contains(typeof(TestThingHappened).FullName!, error.Message);
        Assert.Contains("Other.Component.ThingHappenedElsewhere", error.Message);
    }

    [Fact]
    public void A_manifest_that_another_events_stored_encoding_uses_is_rejected()
    {
        var other = DynamicEventAssembly.WithEvents(("Impostor", "call-received-and-decided.v2"));

        var error = Assert.Throws<EventRegistrationException>(() => EventTypeRegistry.Discover([other]));

        Assert.Contains("\"call-received-and-decided.v2\"", error.Message);
        Assert.Contains("Other.Component.Impostor", error.Message);
        Assert.Contains(typeof(Orchestrator.Core.History.Events.CallReceivedAndDecided).FullName!, error.Message);
    }

    [Fact]
    public void A_manifest_declared_twice_in_one_assembly_is_rejected()
    {
        var other = DynamicEventAssembly.WithEvents(("First", "same.v1"), ("Second", "same.v1"));

        var error = Assert.Throws<EventRegistrationException>(() => EventTypeRegistry.Discover([other]));

        Assert.Contains("\"same.v1\"", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(" padded.v1")]
    public void A_blank_or_padded_manifest_is_rejected(string manifest)
    {
        var other = DynamicEventAssembly.WithEvents(("Blank", manifest));

        Assert.Throws<EventRegistrationException>(() => EventTypeRegistry.Discover([other]));
    }

    [Fact]
    public void An_unknown_manifest_is_a_SerializationException_naming_it()
    {
        var registry = EventTypeRegistry.Discover([TestEvents]);

        var error = Assert.Throws<SerializationException>(() => registry.TypeFor("call-vanished.v9"));

        Assert.Contains("\"call-vanished.v9\"", error.Message);
    }

    [Fact]
    public void An_unregistered_type_is_a_SerializationException_naming_it()
    {
        var registry = EventTypeRegistry.Discover([TestEvents]);

        var error = Assert.Throws<SerializationException>(() => registry.ManifestFor(typeof(string)));

        Assert.Contains("System.String", error.Message);
    }
}
