namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A <see cref="PipelineSpec"/> whose calls run in a temporary workspace of their own (created before the hosted system
/// starts, so <see cref="PipelineSpec.Policies"/> can load it; deleted once the system has stopped).
/// </summary>
public abstract class WorkspacePipelineSpec(ITestOutputHelper output, string workspacePrefix) : PipelineSpec(output)
{
    protected DirectoryInfo Workspace { get; } = Directory.CreateTempSubdirectory(workspacePrefix);

    /// <summary>A home directory beside the workspace, so no user layer of the machine leaks into a spec's policy.</summary>
    protected string Home => Directory.CreateDirectory(Path.Combine(Workspace.FullName, "..", Workspace.Name + "-home")).FullName;

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        foreach (var dir in new[] { Workspace.FullName, Path.Combine(Workspace.FullName, "..", Workspace.Name + "-home") })
            try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
