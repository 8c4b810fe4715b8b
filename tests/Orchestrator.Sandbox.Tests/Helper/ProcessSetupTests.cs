namespace Orchestrator.Sandbox.Tests.Helper;

[Collection(HelperCollection.Name)]
public sealed class ProcessSetupTests(HelperBinary binary)
{
    private readonly SandboxHelperRunner _helper = new(binary);

    [Fact]
    public void Rlimit_nofile_is_visible_to_the_program()
    {
        var result = _helper.Run(["--rlimit", "nofile=64"], ["sh", "-c", "ulimit -n"]);

        Assert.Equal("64\n", result.StandardOutput);
    }

    [Fact]
    public void Setsid_makes_the_program_a_session_leader()
    {
        const string script = "import os; print(os.getsid(0) == os.getpid())";

        Assert.Equal("True\n", _helper.RunPython(["--setsid"], script).StandardOutput);
        Assert.Equal("False\n", _helper.RunPython([], script).StandardOutput);
    }

    [Fact]
    public void Drop_caps_leaves_no_capability_in_any_set()
    {
        var result = _helper.Run(["--drop-caps"], ["grep", "-E", "^Cap(Inh|Prm|Eff|Bnd|Amb)", "/proc/self/status"]);

        var lines = result.StandardOutput.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.All(lines, line => Assert.EndsWith("\t0000000000000000", line));
    }

    [Fact]
    public void Chdir_changes_the_working_directory()
    {
        using var directory = new TemporaryDirectory();

        var result = _helper.Run(["--chdir", directory.Path], ["pwd"]);

        Assert.Equal(directory.Path + "\n", result.StandardOutput);
    }

    [Fact]
    public void Chdir_to_a_missing_directory_is_a_setup_error()
    {
        var result = _helper.Run(["--chdir", "/no/such/directory"], ["true"]);

        Assert.Equal(125, result.ExitCode);
        Assert.StartsWith("orchestrator-sandbox: cannot change directory", result.StandardError);
    }

    [Fact]
    public void Require_landlock_refuses_to_run_when_landlock_is_missing()
    {
        var result = _helper.Run(
            ["--landlock", "--ro", "/", "--require", "landlock"],
            ["sh", "-c", "echo ran"],
            new Dictionary<string, string> { ["ORCHESTRATOR_SANDBOX_FAKE_NO_LANDLOCK"] = "1" });

        Assert.Equal(125, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith("orchestrator-sandbox: Landlock is required but cannot be applied", result.StandardError);
    }

    [Fact]
    public void Require_seccomp_refuses_to_run_when_seccomp_is_missing()
    {
        var result = _helper.Run(
            ["--seccomp", "--require", "seccomp"],
            ["sh", "-c", "echo ran"],
            new Dictionary<string, string> { ["ORCHESTRATOR_SANDBOX_FAKE_NO_SECCOMP"] = "1" });

        Assert.Equal(125, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains("seccomp is required", result.StandardError);
    }

    [Fact]
    public void A_missing_program_exits_127()
    {
        var result = _helper.Run(["--seccomp"], ["no-such-program-orchestrator"]);

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("command not found", result.StandardError);
    }

    [Fact]
    public void A_file_without_execute_permission_exits_126()
    {
        using var directory = new TemporaryDirectory();
        var script = directory.Combine("script");
        File.WriteAllText(script, "echo hi\n");

        var result = _helper.Run([], [script]);

        Assert.Equal(126, result.ExitCode);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_script_without_shebang_runs_under_sh()
    {
        using var directory = new TemporaryDirectory();
        var script = directory.Combine("script");
        File.WriteAllText(script, "echo from-sh \"$1\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var result = _helper.Run([], [script, "arg"]);

        Assert.Equal("from-sh arg\n", result.StandardOutput);
    }

    [Fact]
    public void Unknown_options_are_a_setup_error()
    {
        var result = _helper.Run(["--no-such-option"], ["true"]);

        Assert.Equal(125, result.ExitCode);
        Assert.StartsWith("orchestrator-sandbox: unknown option", result.StandardError);
    }

    [Fact]
    public void Joining_a_cgroup_moves_the_program_into_it()
    {
        const string hierarchy = "/sys/fs/cgroup/pids";
        if (!Directory.Exists(hierarchy))
        {
            return; // no pids v1 hierarchy on this machine
        }

        var name = "orchestrator-helper-test-" + Guid.NewGuid().ToString("N");
        var group = Path.Combine(hierarchy, name);
        Directory.CreateDirectory(group);
        try
        {
            var result = _helper.Run(["--cgroup", group], ["cat", "/proc/self/cgroup"]);

            Assert.Contains($"pids:/{name}", result.StandardOutput);
        }
        finally
        {
            Directory.Delete(group);
        }
    }
}
