namespace Orchestrator.Core.History;

/// <summary>
/// The stable name an event is stored under (e.g. <c>call-received.v1</c>). The journal keeps this name, never the
/// CLR type name, so types can be renamed and moved; a changed shape gets a new version and an upgrader.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EventManifestAttribute(string manifest) : Attribute
{
    public string Manifest { get; } = manifest;
}
