using System.Text.Json;
using Orchestrator.Actors.Serialization;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>Compares events by their stored JSON (records holding immutable arrays do not compare by value).</summary>
public static class EventJson
{
    public static string Of(object e) => JsonSerializer.Serialize(e, e.GetType(), EventJsonOptions.Default);

    public static IReadOnlyList<string> Of(IEnumerable<object> events) => events.Select(Of).ToList();
}
