using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Serialization;
using Orchestrator.Core.History;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// The event types the journal may hold, each under the stable name from its <see cref="EventManifestAttribute"/>.
/// Built once at startup by scanning assemblies (Orchestrator.Core always, plus any registered); the maps are frozen
/// afterwards. Duplicate or malformed manifests are rejected here, so a bad registration never reaches the journal.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly FrozenDictionary<string, Type> _typeByManifest;
    private readonly FrozenDictionary<Type, string> _manifestByType;

    private EventTypeRegistry(FrozenDictionary<string, Type> typeByManifest)
    {
        _typeByManifest = typeByManifest;
        _manifestByType = typeByManifest.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);
    }

    /// <summary>The assembly that is always scanned: Orchestrator.Core, where the history events live.</summary>
    public static Assembly CoreAssembly => typeof(EventManifestAttribute).Assembly;

    /// <summary>Every registered event type, ordered by manifest.</summary>
    public IReadOnlyList<Type> EventTypes => _typeByManifest.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToList();

    /// <summary>Every registered manifest, ordered.</summary>
    public IReadOnlyList<string> Manifests => _typeByManifest.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Scans Orchestrator.Core and <paramref name="additionalAssemblies"/> for types carrying [EventManifest].</summary>
    /// <exception cref="EventRegistrationException">A manifest is used twice, is blank, or sits on an unusable type.</exception>
    public static EventTypeRegistry Discover(IEnumerable<Assembly>? additionalAssemblies = null)
    {
        var assemblies = new[] { CoreAssembly }.Concat(additionalAssemblies ?? []).Distinct();
        return FromTypes(assemblies.SelectMany(LoadableTypes));
    }

    /// <summary>Registers exactly the given types; those without [EventManifest] are ignored.</summary>
    /// <exception cref="EventRegistrationException">A manifest is used twice, is blank, or sits on an unusable type.</exception>
    public static EventTypeRegistry FromTypes(IEnumerable<Type> types)
    {
        var typeByManifest = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in types.Distinct())
        {
            var attribute = type.GetCustomAttribute<EventManifestAttribute>(inherit: false);
            if (attribute is null) continue;
            var manifest = attribute.Manifest;
            if (string.IsNullOrWhiteSpace(manifest) || manifest.Trim() != manifest)
                throw new EventRegistrationException(
                    $"Event type {type.FullName} has a blank manifest or one with surrounding whitespace: \"{manifest}\".");
            if (type.IsAbstract || type.IsInterface || type.ContainsGenericParameters)
                throw new EventRegistrationException(
                    $"Event manifest \"{manifest}\" is on {type.FullName}, which cannot be instantiated (abstract, interface or open generic).");
            if (StoredEncodings.ForManifest(manifest) is { } encoding)
                throw new EventRegistrationException(
                    $"Event manifest \"{manifest}\" is on {Describe(type)}, but rows of {encoding.EventType.FullName} are stored under it.");
            if (typeByManifest.TryGetValue(manifest, out var existing))
                throw new EventRegistrationException(
                    $"Event manifest \"{manifest}\" is declared by two types: {Describe(existing)} and {Describe(type)}. " +
                    "Each stored event needs a name of its own; give one of them a new manifest.");
            typeByManifest.Add(manifest, type);
        }

        return new EventTypeRegistry(typeByManifest.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The manifest stored with events of <paramref name="type"/>.</summary>
    /// <exception cref="SerializationException">The type carries no registered manifest.</exception>
    public string ManifestFor(Type type) =>
        _manifestByType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new SerializationException(
                $"{type.FullName} is not a registered Orchestrator event: mark it with [EventManifest(\"…\")] and register its assembly.");

    /// <summary>The type that events stored under <paramref name="manifest"/> are read as.</summary>
    /// <exception cref="SerializationException">No registered type has this manifest.</exception>
    public Type TypeFor(string manifest) =>
        _typeByManifest.TryGetValue(manifest, out var type)
            ? type
            : throw new SerializationException(
                $"Unknown event manifest \"{manifest}\": no registered type carries [EventManifest(\"{manifest}\")]. " +
                "Was the event type renamed to a new manifest without an upgrader, or is its assembly not registered?");

    public bool TryGetType(string manifest, out Type type) => _typeByManifest.TryGetValue(manifest, out type!);

    private static string Describe(Type type) => $"{type.FullName} ({type.Assembly.GetName().Name})";

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
