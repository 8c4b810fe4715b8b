namespace Orchestrator.Actors.Tests.Events;

public enum TestColour
{
    Red,
    DeepBlue,
}
