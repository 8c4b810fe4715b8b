namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>
/// Real commands through `orchestrator run`, under the built-in layer alone and under bubblewrap + built-in, as root
/// and as an unprivileged user. A variant this machine cannot run is reported as a failure naming what is missing —
/// CI machines have everything (ops/setup.sh installs it).
/// </summary>
public sealed class SandboxEscapeTests
{
    public static TheoryData<SandboxVariant> Variants => new(Enum.GetValues<SandboxVariant>());

    [Theory, MemberData(nameof(Variants))]
    public void Writes_inside_the_workspace_succeed(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        s.Write("src/a.txt", "old");
        var r = s.Shell("echo new > src/a.txt && mkdir -p src/deep && echo made > src/deep/b.txt && cat src/a.txt src/deep/b.txt");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("new\nmade\n", r.Stdout);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Writes_outside_the_writable_roots_fail(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Shell($"echo x > {s.Outside}/escaped.txt");
        Assert.NotEqual(0, r.ExitCode);
        Assert.False(File.Exists(Path.Combine(s.Outside, "escaped.txt")), r.ToString());
    }

    [Theory, MemberData(nameof(Variants))]
    public void Read_only_mode_writes_nowhere(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Shell("echo x > ro.txt", "--mode", "read-only");
        Assert.NotEqual(0, r.ExitCode);
        Assert.False(File.Exists(Path.Combine(s.Workspace, "ro.txt")), r.ToString());
        var devNull = s.Shell("echo x > /dev/null && ls >/dev/null && echo fine", "--mode", "read-only");
        Assert.True(devNull.ExitCode == 0, devNull.ToString());
    }

    [Theory, MemberData(nameof(Variants))]
    public void Existing_protected_paths_cannot_be_written(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var config = s.Write(".git/config", "[core]\n");
        s.Write(".git/hooks/.keep", "");
        var r = s.Shell("echo evil >> .git/config; echo 'curl x|sh' > .git/hooks/pre-commit; true");
        Assert.Equal("[core]\n", File.ReadAllText(config));
        Assert.False(File.Exists(Path.Combine(s.Workspace, ".git/hooks/pre-commit")), r.ToString());
    }

    [Theory, MemberData(nameof(Variants))]
    public void Protected_paths_that_do_not_exist_yet_do_not_survive_the_run(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Shell("mkdir .orchestrator; echo '{}' > .orchestrator/settings.json; echo x > .envrc; echo x > .mcp.json; true");
        Assert.False(File.Exists(Path.Combine(s.Workspace, ".orchestrator/settings.json")), r.ToString());
        Assert.False(File.Exists(Path.Combine(s.Workspace, ".envrc")) && new FileInfo(Path.Combine(s.Workspace, ".envrc")).Length > 0, r.ToString());
        Assert.False(File.Exists(Path.Combine(s.Workspace, ".mcp.json")) && new FileInfo(Path.Combine(s.Workspace, ".mcp.json")).Length > 0, r.ToString());
        // What the command created went to the quarantine; no stub of ours is left behind either.
        Assert.False(Path.Exists(Path.Combine(s.Workspace, ".envrc")), r.ToString());
        Assert.Empty(s.WorkspaceEntries());
    }

    [Theory, MemberData(nameof(Variants))]
    public void A_symlink_in_the_workspace_pointing_outside_cannot_be_written_through(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        File.CreateSymbolicLink(Path.Combine(s.Workspace, "out"), s.Outside);
        var r = s.Shell("echo x > out/through-link.txt");
        Assert.NotEqual(0, r.ExitCode);
        Assert.False(File.Exists(Path.Combine(s.Outside, "through-link.txt")), r.ToString());
    }

    [Theory, MemberData(nameof(Variants))]
    public void Proc_self_root_does_not_lead_out(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Shell($"echo x > /proc/self/root{s.Outside}/via-proc.txt; echo x > /proc/1/root{s.Outside}/via-proc1.txt; true");
        Assert.False(File.Exists(Path.Combine(s.Outside, "via-proc.txt")), r.ToString());
        Assert.False(File.Exists(Path.Combine(s.Outside, "via-proc1.txt")), r.ToString());
    }

    [Theory, MemberData(nameof(Variants))]
    public void Hard_links_to_outside_files_cannot_be_made_or_written(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var target = s.Write(Path.Combine(s.Outside, "victim.txt"), "intact");
        var r = s.Shell($"ln {target} hl && echo pwned >> hl; true");
        Assert.Equal("intact", File.ReadAllText(target));
        Assert.False(File.Exists(Path.Combine(s.Workspace, "hl")), r.ToString());
    }

    [Theory, MemberData(nameof(Variants))]
    public void With_network_off_tcp_and_udp_to_loopback_fail(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        using var listeners = new LoopbackListeners();
        var (port, udpPort, udp) = (listeners.TcpPort, listeners.UdpPort, listeners.Udp);

        var viaTcp = s.Shell($"python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 3); print('connected')\"");
        Assert.DoesNotContain("connected", viaTcp.Stdout);
        Assert.NotEqual(0, viaTcp.ExitCode);
        var viaUdp = s.Shell($"python3 -c \"import socket; u=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b'q', ('127.0.0.1', {udpPort})); print('sent')\"");
        Assert.DoesNotContain("sent", viaUdp.Stdout);
        var viaBash = s.Run(["--", "/bin/bash", "-c", $"echo hi > /dev/tcp/127.0.0.1/{port} && echo connected"]);
        Assert.DoesNotContain("connected", viaBash.Stdout);
        var dns = s.Shell($"python3 -c \"import socket; u=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b'\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01', ('127.0.0.1', {udpPort})); print('asked')\"");
        Assert.DoesNotContain("asked", dns.Stdout);
    }

    [Theory, MemberData(nameof(Variants))]
    public async Task With_network_on_tcp_and_udp_to_loopback_work(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        using var listeners = new LoopbackListeners();
        var (port, udpPort, udp) = (listeners.TcpPort, listeners.UdpPort, listeners.Udp);
        var r = s.Shell($"python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 3); u=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b'q', ('127.0.0.1', {udpPort})); print('connected')\"", "--network", "on");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("connected", r.Stdout);
        var received = await udp.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("q"u8.ToArray(), received.Buffer);
    }

    [Theory, MemberData(nameof(Variants))]
    public void An_inherited_directory_fd_gives_no_access_outside(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        // python opens the outside directory without O_CLOEXEC as fd 9 and execs orchestrator with it still open.
        var script = $"import os,sys; fd=os.open('{s.Outside}', os.O_RDONLY|os.O_DIRECTORY); os.dup2(fd, 9); os.set_inheritable(9, True); os.execvp(sys.argv[1], sys.argv[1:])";
        var probe = "ls -l /proc/self/fd/ 2>&1; echo pwned > /proc/self/fd/9/via-fd.txt; python3 -c \"import os; f=os.open('via-openat.txt', os.O_WRONLY|os.O_CREAT, 0o644, dir_fd=9); print('opened')\"; true";
        var r = s.Run(["--", "/bin/sh", "-c", probe], wrapper: ["python3", "-c", script]);
        Assert.False(File.Exists(Path.Combine(s.Outside, "via-fd.txt")), r.ToString());
        Assert.False(File.Exists(Path.Combine(s.Outside, "via-openat.txt")), r.ToString());
        Assert.DoesNotContain("opened", r.Stdout);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Too_many_processes_are_refused_and_none_survive(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        // A duration no other test uses: other test projects run at the same time and start `sleep 30`s of their own.
        var sleeper = $"sleep 30.{Random.Shared.Next(100_000, 999_999)}";
        var r = s.Shell($"i=0; while [ $i -lt 400 ]; do {sleeper} & i=$((i+1)); done 2>/dev/null; echo spawned-all", "--max-processes", "64", "--timeout", "10");
        Assert.DoesNotContain("spawned-all", r.Stdout);
        Assert.Empty(Running(sleeper));
    }

    [Theory, MemberData(nameof(Variants))]
    public void A_memory_hog_is_stopped_by_the_memory_limit(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Shell("python3 -c \"b = bytearray(700 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); print('allocated')\"", "--memory", $"{256 * 1024 * 1024}");
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("allocated", r.Stdout);
        // As root the run's cgroup holds it, and its OOM kill is told as such (as a user, no cgroup: the address space limit refuses the allocation).
        if (s.AsUser) Assert.DoesNotContain("memory limit", r.Stderr);
        else Assert.Contains("orchestrator: the run was killed: it reached its memory limit of 256 MiB", r.Stderr);
    }

    [Theory, MemberData(nameof(Variants))]
    public void A_cpu_spinner_is_killed_by_the_timeout_with_exit_124(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        // What a run costs around its command (hosting the pipeline, the journal) is measured, not assumed.
        var quick = DateTime.UtcNow;
        Assert.Equal(0, s.Run(["--", "true"]).ExitCode);
        var overhead = DateTime.UtcNow - quick;
        var started = DateTime.UtcNow;
        var r = s.Run(["--timeout", "1", "--", "/bin/sh", "-c", "while :; do :; done"]);
        Assert.True(r.ExitCode == 124, r.ToString());
        var took = DateTime.UtcNow - started;
        Assert.True(took < overhead + TimeSpan.FromSeconds(10), $"the timeout did not stop the command promptly: {took} (a run of true took {overhead})");
    }

    [Theory, MemberData(nameof(Variants))]
    public void Output_floods_stay_bounded(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Run(["--max-output", "1000", "--", "/bin/sh", "-c", "head -c 50000000 /dev/zero | tr '\\0' a; echo END"]);
        Assert.True(r.ExitCode == 0, r.ToString()[..Math.Min(500, r.ToString().Length)]);
        Assert.True(r.Stdout.Length < 3000, $"stdout kept {r.Stdout.Length} chars");
        Assert.EndsWith("END\n", r.Stdout);
        Assert.Contains("50000004 bytes in all", r.Stderr);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Processes_outside_cannot_be_signalled_or_traced(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        using var victim = System.Diagnostics.Process.Start("sleep", "60");
        try
        {
            var pid = victim.Id;
            var r = s.Shell($"kill -9 {pid}; python3 -c \"import ctypes; libc=ctypes.CDLL(None); print('ptrace', libc.ptrace(16, {pid}, 0, 0))\"; true");
            Assert.False(victim.HasExited, $"the sandboxed command killed an outside process: {r}");
            Assert.Contains("ptrace -1", r.Stdout);
        }
        finally { victim.Kill(); }
    }

    [Theory, MemberData(nameof(Variants))]
    public void Mount_unshare_user_namespaces_and_tiocsti_fail(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        s.Write("m/.keep", "");
        var r = s.Shell("mount -t tmpfs none m && echo mounted; unshare -U true && echo userns; unshare -m true && echo mountns; " +
                        "python3 -c \"import fcntl,termios,os; fd=os.open('/dev/tty', os.O_RDWR) if os.path.exists('/dev/tty') else 0; fcntl.ioctl(fd, termios.TIOCSTI, b'x'); print('injected')\" 2>/dev/null; true");
        Assert.DoesNotContain("mounted", r.Stdout);
        Assert.DoesNotContain("userns", r.Stdout);
        Assert.DoesNotContain("mountns", r.Stdout);
        Assert.DoesNotContain("injected", r.Stdout);
    }

    /// <summary>The processes whose command line is <paramref name="command"/>: any left behind escaped the kill.</summary>
    private static IEnumerable<string> Running(string command)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (cmdline.Trim() == command) yield return dir;
        }
    }
}
