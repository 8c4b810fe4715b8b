using Orchestrator.Sandbox.Linux;

namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>How the programs that start a sandbox (bubblewrap, setsid) are found.</summary>
public sealed class SandboxToolsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestrator-tools-").FullName;

    public SandboxToolsTests() => File.WriteAllText(Path.Combine(_dir, "planted-bwrap"), "#!/bin/sh\n");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_program_in_an_absolute_PATH_directory_is_found()
    {
        Assert.Equal(Path.Combine(_dir, "planted-bwrap"), SandboxTools.FindOnPath("planted-bwrap", $"/nonexistent:{_dir}"));
    }

    [Fact]
    public void A_relative_PATH_entry_is_never_searched_so_a_program_planted_in_the_current_directory_is_not_started()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _dir);
        Assert.False(Path.IsPathFullyQualified(relative));
        Assert.True(File.Exists(Path.Combine(relative, "planted-bwrap")));
        Assert.Null(SandboxTools.FindOnPath("planted-bwrap", $"{relative}:/nonexistent"));
    }
}
