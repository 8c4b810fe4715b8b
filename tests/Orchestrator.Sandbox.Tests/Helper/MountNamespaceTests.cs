namespace Orchestrator.Sandbox.Tests.Helper;

/// <summary>
/// <c>--mount-ns</c> and its mounts, as root (unshare), as root taking the unprivileged path (fork + user namespace),
/// and as nobody. Writes and reads are made by python, not only by shell redirections.
/// </summary>
[Collection(HelperCollection.Name)]
public sealed class MountNamespaceTests(HelperBinary binary)
{
    public enum RunAs { Root, RootThroughUserNamespace, Nobody }

    public static TheoryData<RunAs> Variants => new(Enum.GetValues<RunAs>());

    private const string TryWrite = """
        import sys
        for path in sys.argv[1:]:
            try:
                with open(path, "w") as f: f.write("x")
                print("wrote", path)
            except OSError as e:
                print("refused", path, e.errno)
        """;

    private const string TryRead = """
        import os, sys
        for path in sys.argv[1:]:
            try:
                if os.path.isdir(path): print(path, sorted(os.listdir(path)))
                else: print(path, repr(open(path).read()))
            except OSError as e:
                print(path, "errno", e.errno)
        """;

    [Theory, MemberData(nameof(Variants))]
    public void Protected_paths_at_any_depth_are_read_only_while_the_rest_stays_writable(RunAs who)
    {
        using var ws = Workspace(who);
        var hook = ws.Combine(".git/hooks/pre-commit");
        var nested = ws.Combine("vendor/lib/.git/config");
        var fresh = ws.Combine("new.txt");

        var result = Python(who, [.. MountNs(ws.Path), "--protect", ws.Combine(".git"), "--protect", ws.Combine("vendor/lib/.git")],
            TryWrite, hook, nested, fresh);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"refused {hook} 30", result.StandardOutput); // EROFS
        Assert.Contains($"refused {nested} 30", result.StandardOutput);
        Assert.Contains($"wrote {fresh}", result.StandardOutput);
        Assert.False(File.Exists(hook));
        Assert.Equal("[core]\n", File.ReadAllText(nested));
    }

    [Theory, MemberData(nameof(Variants))]
    public void Hidden_directories_are_empty_hidden_files_read_as_empty_and_exposed_paths_come_back(RunAs who)
    {
        using var ws = Workspace(who);
        var secrets = ws.Combine("secrets");
        var env = ws.Combine(".env");
        var known = ws.Combine("secrets/known_hosts");

        var result = Python(who, [.. MountNs(ws.Path), "--hide", env, "--hide", secrets, "--expose", known],
            TryRead, env, secrets, known, ws.Combine("secrets/id_rsa"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{env} ''", result.StandardOutput);
        Assert.Contains($"{secrets} ['known_hosts']", result.StandardOutput);
        Assert.Contains($"{known} 'github.com ssh-ed25519'", result.StandardOutput);
        Assert.Contains($"{ws.Combine("secrets/id_rsa")} errno 2", result.StandardOutput);
        Assert.Equal("TOKEN=1", File.ReadAllText(env));
    }

    [Theory, MemberData(nameof(Variants))]
    public void Hidden_and_exposed_paths_cannot_be_written(RunAs who)
    {
        using var ws = Workspace(who);
        var result = Python(who, [.. MountNs(ws.Path), "--hide", ws.Combine(".env"), "--hide", ws.Combine("secrets"), "--expose", ws.Combine("secrets/known_hosts")],
            TryWrite, ws.Combine(".env"), ws.Combine("secrets/new"), ws.Combine("secrets/known_hosts"));

        Assert.DoesNotContain("wrote", result.StandardOutput);
        Assert.Equal("TOKEN=1", File.ReadAllText(ws.Combine(".env")));
        Assert.False(File.Exists(ws.Combine("secrets/new")));
    }

    [Theory, MemberData(nameof(Variants))]
    public void A_missing_target_is_skipped_and_nothing_is_created_on_the_host(RunAs who)
    {
        using var ws = Workspace(who);
        var before = Entries(ws.Path);

        var result = Run(who, [.. MountNs(ws.Path), "--protect", ws.Combine(".envrc"), "--hide", ws.Combine("nope/.env"), "--protect", ws.Combine(".vscode")],
            ["sh", "-c", "echo ran"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before, Entries(ws.Path));
    }

    [Theory, MemberData(nameof(Variants))]
    public void The_private_tmp_shows_only_the_kept_directories_and_leaves_no_mount_behind(RunAs who)
    {
        using var ws = Workspace(who);
        using var other = new TemporaryDirectory();
        File.WriteAllText(other.Combine("host-file"), "host");
        var mountsBefore = File.ReadAllText("/proc/self/mountinfo");

        var result = Run(who, [.. MountNs(ws.Path), "--private-tmp", "--keep", ws.Path, "--protect", ws.Combine(".git")],
            ["sh", "-c", $"ls /tmp; cat {other.Combine("host-file")}; echo t > /tmp/scratch && cat /tmp/scratch; echo w > {ws.Combine("w.txt")}"]);

        Assert.True(result.ExitCode != 125, result.ToString());
        Assert.Equal(Path.GetFileName(ws.Path) + "\nt\n", result.StandardOutput);
        Assert.Equal("w\n", File.ReadAllText(ws.Combine("w.txt")));
        Assert.False(File.Exists("/tmp/scratch"));
        Assert.Equal(mountsBefore, File.ReadAllText("/proc/self/mountinfo"));
    }

    [Theory, MemberData(nameof(Variants))]
    public void A_target_swapped_for_a_symbolic_link_is_refused(RunAs who)
    {
        using var ws = Workspace(who);
        using var outside = new TemporaryDirectory();
        File.CreateSymbolicLink(ws.Combine(".envrc"), outside.Path);

        var result = Run(who, [.. MountNs(ws.Path), "--protect", ws.Combine(".envrc")], ["sh", "-c", "echo ran"]);

        Assert.Equal(125, result.ExitCode);
        Assert.Contains("became a symbolic link", result.StandardError);
        Assert.DoesNotContain("ran", result.StandardOutput);
    }

    [Fact]
    public void Mounts_need_the_mount_namespace_option()
    {
        var result = _Run(["--protect", "/tmp"], ["true"]);

        Assert.Equal(125, result.ExitCode);
        Assert.Contains("need --mount-ns", result.StandardError);
    }

    [Theory, MemberData(nameof(Variants))]
    public void The_status_descriptor_gets_one_byte_when_the_program_starts_and_the_program_never_sees_it(RunAs who)
    {
        using var ws = Workspace(who);
        var status = ws.Combine("status");

        var result = WithStatus(who, status, [.. MountNs(ws.Path), "--protect", ws.Combine(".git")], ["sh", "-c", "ls /proc/self/fd"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("S", File.ReadAllText(status));
        Assert.Equal("0\n1\n2\n3\n", result.StandardOutput); // 3 is ls's own directory handle
    }

    [Theory, MemberData(nameof(Variants))]
    public void No_status_byte_is_written_when_the_sandbox_fails_before_the_program(RunAs who)
    {
        using var ws = Workspace(who);
        var status = ws.Combine("status");

        var result = WithStatus(who, status, [.. MountNs(ws.Path), "--chdir", "/no/such/dir"], ["sh", "-c", "echo ran"]);

        Assert.Equal(125, result.ExitCode);
        Assert.Equal("", File.ReadAllText(status));
    }

    private readonly SandboxHelperRunner _helper = new(binary);

    private ProcessResult _Run(string[] options, string[] command) => _helper.Run(options, command);

    private static string[] MountNs(string workspace) =>
        ["--mount-ns", "--drop-caps", "--landlock", "--ro", "/", "--rw", workspace, "--rw", "/tmp", "--rw-file", "/dev/null", "--seccomp"];

    private static TemporaryDirectory Workspace(RunAs who)
    {
        var ws = new TemporaryDirectory();
        Directory.CreateDirectory(ws.Combine(".git/hooks"));
        Directory.CreateDirectory(ws.Combine("vendor/lib/.git"));
        File.WriteAllText(ws.Combine("vendor/lib/.git/config"), "[core]\n");
        Directory.CreateDirectory(ws.Combine("secrets"));
        File.WriteAllText(ws.Combine("secrets/known_hosts"), "github.com ssh-ed25519");
        File.WriteAllText(ws.Combine("secrets/id_rsa"), "PRIVATE");
        File.WriteAllText(ws.Combine(".env"), "TOKEN=1");
        if (who == RunAs.Nobody)
            foreach (var path in Directory.EnumerateFileSystemEntries(ws.Path, "*", SearchOption.AllDirectories).Append(ws.Path))
                File.SetUnixFileMode(path, Directory.Exists(path) ? (UnixFileMode)0x1FF : (UnixFileMode)0x1B6);
        return ws;
    }

    private static string[] Entries(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private ProcessResult Python(RunAs who, string[] options, string script, params string[] args) =>
        Run(who, options, [SandboxHelperRunner.Python, "-c", script, .. args]);

    private ProcessResult Run(RunAs who, string[] options, string[] command) =>
        ProcessRunner.Run(Launcher(who)[0], [.. Launcher(who)[1..], .. options, "--", .. command], Environment(who));

    /// <summary>Through /bin/sh, so the helper inherits <paramref name="statusFile"/> as descriptor 9.</summary>
    private ProcessResult WithStatus(RunAs who, string statusFile, string[] options, string[] command) =>
        ProcessRunner.Run("/bin/sh", ["-c", $"exec \"$@\" 9>'{statusFile}'", "sh", .. Launcher(who), "--status-fd", "9", .. options, "--", .. command],
            Environment(who));

    private string[] Launcher(RunAs who) => who == RunAs.Nobody
        ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--", _helper.Path]
        : [_helper.Path];

    private static Dictionary<string, string> Environment(RunAs who) => who == RunAs.RootThroughUserNamespace
        ? new() { ["ORCHESTRATOR_SANDBOX_FAKE_NO_MOUNT_NS"] = "1" }
        : [];
}
