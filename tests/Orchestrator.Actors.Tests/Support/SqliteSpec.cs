
namespace Orchestrator.Actors.Tests.Support;

/// <summary>A TestKit spec with its own real SQLite journal, deleted when the spec ends.</summary>
public abstract class SqliteSpec(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected SqliteBackend Backend { get; } = new();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Backend.Dispose();
    }
}
