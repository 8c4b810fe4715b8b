
namespace Orchestrator.Actors.Tests.Support;

/// <summary>A <see cref="SqliteSpec"/> with a temporary workspace for the calls it runs, deleted when the spec ends.</summary>
public abstract class SqliteWorkspaceSpec(ITestOutputHelper output, string workspacePrefix) : SqliteSpec(output)
{
    protected DirectoryInfo Workspace { get; } = Directory.CreateTempSubdirectory(workspacePrefix);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try { Workspace.Delete(recursive: true); } catch (IOException) { }
    }
}
