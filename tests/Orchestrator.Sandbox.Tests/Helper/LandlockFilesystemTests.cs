namespace Orchestrator.Sandbox.Tests.Helper;

[Collection(HelperCollection.Name)]
public sealed class LandlockFilesystemTests(HelperBinary binary)
{
    private readonly SandboxHelperRunner _helper = new(binary);

    [Fact]
    public void Writing_inside_the_writable_root_succeeds()
    {
        using var workspace = new TemporaryDirectory();
        var target = workspace.Combine("ok");

        var result = _helper.Run(
            ["--landlock", "--ro", "/", "--rw", workspace.Path, "--rw-file", "/dev/null"],
            ["sh", "-c", $"echo x > '{target}' && echo discarded > /dev/null"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("x\n", File.ReadAllText(target));
    }

    [Fact]
    public void Writing_outside_the_writable_root_is_denied()
    {
        using var workspace = new TemporaryDirectory();
        using var elsewhere = new TemporaryDirectory();
        var target = elsewhere.Combine("escaped");

        var result = _helper.RunPython(
            ["--landlock", "--ro", "/", "--rw", workspace.Path, "--rw-file", "/dev/null"],
            """
            import sys
            try:
                open(sys.argv[1], "w").write("x")
                print("written")
            except OSError as e:
                print("errno", e.errno)
            """,
            target);

        Assert.Equal("errno 13\n", result.StandardOutput);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Creating_a_device_node_in_the_writable_root_is_denied()
    {
        using var workspace = new TemporaryDirectory();

        var result = _helper.RunPython(
            ["--landlock", "--ro", "/", "--rw", workspace.Path],
            """
            import os, stat, sys
            try:
                os.mknod(sys.argv[1], stat.S_IFCHR | 0o600, os.makedev(1, 3))
                print("created")
            except OSError as e:
                print("errno", e.errno)
            """,
            workspace.Combine("null"));

        Assert.Equal("errno 13\n", result.StandardOutput);
    }

    [Fact]
    public void Landlock_without_rules_denies_all_filesystem_access()
    {
        var result = _helper.Run(["--landlock"], ["/bin/true"]);

        Assert.Equal(126, result.ExitCode);
        Assert.Contains("Permission denied", result.StandardError);
    }

    [Fact]
    public void A_missing_rule_path_is_skipped()
    {
        var result = _helper.Run(["--ro", "/", "--ro", "/no/such/path", "--rw-file", "/dev/null"], ["/bin/true"]);

        Assert.Equal(0, result.ExitCode);
    }
}
