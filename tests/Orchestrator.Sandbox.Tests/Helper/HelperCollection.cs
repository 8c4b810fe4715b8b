namespace Orchestrator.Sandbox.Tests.Helper;

/// <summary>All tests that run the real helper share one <see cref="HelperBinary"/>, so it is published at most once.</summary>
[CollectionDefinition(Name)]
public sealed class HelperCollection : ICollectionFixture<HelperBinary>
{
    public const string Name = "orchestrator-sandbox";
}
