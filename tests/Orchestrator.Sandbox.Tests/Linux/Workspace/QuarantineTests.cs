using Orchestrator.Sandbox.Linux.Workspace;
using Orchestrator.Sandbox.Tests.Helper;

namespace Orchestrator.Sandbox.Tests.Linux.Workspace;

public sealed class QuarantineTests
{
    [Fact]
    public void A_tree_moved_across_filesystems_keeps_its_files_and_links_and_leaves_nothing_behind()
    {
        if (!Directory.Exists("/dev/shm")) Assert.Fail("this test needs /dev/shm (a tmpfs) as a second filesystem");
        var source = Directory.CreateTempSubdirectory("orchestrator-quarantine-src-").FullName;
        using var data = new TemporaryDirectory();
        try
        {
            var tree = Path.Combine(source, ".git");
            Directory.CreateDirectory(Path.Combine(tree, "hooks"));
            File.WriteAllText(Path.Combine(tree, "hooks/pre-commit"), "evil");
            File.CreateSymbolicLink(Path.Combine(tree, "link"), "/etc/passwd");
            var quarantine = new Quarantine(Path.Combine("/dev/shm", Path.GetFileName(data.Path)));

            var movedTo = quarantine.Move(tree, "test", out var failure);

            Assert.Null(failure);
            Assert.False(Directory.Exists(tree));
            Assert.Equal("evil", File.ReadAllText(Path.Combine(movedTo!, "hooks/pre-commit")));
            Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(movedTo!, "link")).LinkTarget);
            Directory.Delete(quarantine.Directory, recursive: true);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    [Fact]
    public void A_path_that_is_gone_is_neither_moved_nor_a_failure()
    {
        using var data = new TemporaryDirectory();
        var quarantine = new Quarantine(data.Combine("q"));

        Assert.Null(quarantine.Move(data.Combine("nothing-here"), "test", out var failure));
        Assert.Null(failure);
    }
}
