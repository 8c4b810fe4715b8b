using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;

namespace Orchestrator.Actors.Tests.Events;

/// <summary>A test event with the shapes real events use: ids, enums, immutable collections, timestamps.</summary>
[EventManifest("test-thing-happened.v1")]
public sealed record TestThingHappened(
    CallId CallId,
    string Name,
    int Number,
    TestColour Colour,
    ImmutableArray<string> Labels,
    ImmutableDictionary<string, int> Counts,
    DateTimeOffset At)
{
    public static TestThingHappened Sample(int number) => new(
        new CallId($"c-{number}"),
        $"thing {number}",
        number,
        number % 2 == 0 ? TestColour.DeepBlue : TestColour.Red,
        ["a", $"label-{number}"],
        ImmutableDictionary<string, int>.Empty.Add("Key.With.Dots", number),
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddSeconds(number));
}
