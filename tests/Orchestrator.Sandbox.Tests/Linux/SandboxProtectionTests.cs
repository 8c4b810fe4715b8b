namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>
/// What the sandbox enforces matches what the policy says (issue 8 §4–5), through the real <c>orchestrator run</c>
/// under every layering, as root and as nobody, with python doing the writing and the reading: protected names at any
/// depth, protected names that do not exist yet, Read-deny paths (globs too), the default deny-read set, no stubs,
/// and a sandbox failure reported as such.
/// </summary>
public sealed class SandboxProtectionTests
{
    public static TheoryData<SandboxVariant> Variants => new(Enum.GetValues<SandboxVariant>());

    /// <summary>Writes "x" to each path (making parent directories); prints "wrote P" or "refused P ERRNO".</summary>
    private const string Write = """
        import os, sys
        for path in sys.argv[1:]:
            try:
                os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
                with open(path, "w") as f: f.write("x")
                print("wrote", path)
            except OSError as e:
                print("refused", path, e.errno)
        """;

    /// <summary>Prints what each path holds: "P = 'content'", "P = [entries]" or "P errno N".</summary>
    private const string Read = """
        import os, sys
        for path in sys.argv[1:]:
            try:
                print(path, "=", sorted(os.listdir(path)) if os.path.isdir(path) else repr(open(path).read()))
            except OSError as e:
                print(path, "errno", e.errno)
        """;

    [Theory, MemberData(nameof(Variants))]
    public void Existing_protected_names_below_the_root_are_read_only(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        string[] targets = ["vendor/lib/.git/hooks/pre-commit", "src/.orchestrator/settings.json", "src/.envrc", "src/.vscode/tasks.json", ".git/config"];
        foreach (var target in targets) s.Write(target, "original");

        var r = s.Python(Write, targets);

        foreach (var target in targets)
        {
            Assert.Contains($"refused {target}", r.Stdout);
            Assert.Equal("original", File.ReadAllText(Path.Combine(s.Workspace, target)));
        }
    }

    [Theory, MemberData(nameof(Variants))]
    public void A_hook_script_the_settings_name_inside_the_workspace_is_read_only_in_the_sandbox(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        // The hooks run (run goes through the pipeline): the script must be one that can run.
        File.SetUnixFileMode(s.Write("scripts/guard.sh", "#!/bin/sh\nexit 0\n"), (UnixFileMode)0x1FF);
        s.Write("tools/check.py", "print('ok')");
        s.Write("scripts/notes.txt", "writable");
        var settings = s.Write(Path.Combine(s.Outside, "settings.json"), """
            {"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[
              {"type":"command","command":"scripts/guard.sh"},
              {"type":"command","command":"python3 \"$CLAUDE_PROJECT_DIR\"/tools/check.py"}]}]}}
            """);

        var r = s.Python(Write, ["scripts/guard.sh", "tools/check.py", "scripts/notes.txt"], "--settings", settings);

        Assert.True(r.Stdout.Contains("refused scripts/guard.sh", StringComparison.Ordinal), r.ToString());
        Assert.Contains("refused tools/check.py", r.Stdout);
        Assert.Contains("wrote scripts/notes.txt", r.Stdout);
        Assert.Equal("#!/bin/sh\nexit 0\n", File.ReadAllText(Path.Combine(s.Workspace, "scripts/guard.sh")));
        Assert.Equal("print('ok')", File.ReadAllText(Path.Combine(s.Workspace, "tools/check.py")));
    }

    [Theory, MemberData(nameof(Variants))]
    public void Protected_names_created_at_any_depth_are_moved_into_the_quarantine_and_reported(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        s.Write("src/main.c", "int main;");
        string[] targets = ["src/.vscode/tasks.json", "lib/.git/hooks/pre-commit", "src/.envrc", ".mcp.json"];

        var r = s.Python(Write, targets);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["lib", "src", "src/main.c"], s.WorkspaceEntries());
        foreach (var created in new[] { "src/.vscode", "lib/.git", "src/.envrc", ".mcp.json" })
            Assert.Contains($"created protected path {Path.Combine(s.Workspace, created)}; moved it into the quarantine: {s.Quarantine}", r.Stderr);
        Assert.Contains(Directory.EnumerateFiles(s.Quarantine, "pre-commit", SearchOption.AllDirectories), p => File.ReadAllText(p) == "x");
    }

    [Theory, MemberData(nameof(Variants))]
    public void Ordinary_new_files_can_be_made_in_the_root_next_to_protected_paths(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        s.Write(".git/config", "[core]\n");
        s.Write(".gitmodules", "");

        var r = s.Python(Write, ["made.txt", "sub/made.txt"]);

        if (variant == SandboxVariant.BuiltInWithoutNamespacesAsRoot)
        {
            // Landlock alone cannot allow creating here while keeping .git read-only (the README says so).
            Assert.Contains("refused made.txt 13", r.Stdout);
            return;
        }
        Assert.Contains("wrote made.txt", r.Stdout);
        Assert.Contains("wrote sub/made.txt", r.Stdout);
        Assert.True(File.Exists(Path.Combine(s.Workspace, "made.txt")), r.ToString());
    }

    [Theory, MemberData(nameof(Variants))]
    public void Paths_a_read_deny_rule_names_are_hidden_globs_included(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        s.Write(".env", "TOKEN=root");
        s.Write("svc/api/.env", "TOKEN=nested");
        s.Write("secrets/key.pem", "PRIVATE");
        s.Write("keys/a.pem", "PEM");
        s.Write("src/app.py", "print(1)");

        var r = s.Python(Read, [".env", "svc/api/.env", "secrets", "secrets/key.pem", "keys/a.pem", "src/app.py"],
            "--deny", "Read(**/.env)", "--deny", "Read(./secrets/**)", "--deny", "Read(*.pem)");

        Assert.True(r.ExitCode == 0, r.ToString());
        // Hidden by a mount they read as empty; under Landlock alone (no namespaces) they cannot be opened at all.
        var hidden = variant == SandboxVariant.BuiltInWithoutNamespacesAsRoot ? "errno 13" : "= ''";
        Assert.Contains($".env {hidden}", r.Stdout);
        Assert.Contains($"svc/api/.env {hidden}", r.Stdout);
        Assert.DoesNotContain("TOKEN", r.Stdout);
        Assert.DoesNotContain("PRIVATE", r.Stdout);
        Assert.DoesNotContain("'PEM'", r.Stdout);
        Assert.Contains("src/app.py = 'print(1)'", r.Stdout);
        Assert.Equal("TOKEN=root", File.ReadAllText(Path.Combine(s.Workspace, ".env")));
    }

    [Theory, MemberData(nameof(Variants))]
    public void The_default_deny_read_set_is_hidden_unless_an_allow_rule_names_the_path(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var ssh = Path.Combine(s.Home, ".ssh");
        s.Write(Path.Combine(ssh, "id_ed25519"), "PRIVATE KEY");
        s.Write(Path.Combine(ssh, "known_hosts"), "github.com ssh-ed25519 AAAA");
        s.Write(Path.Combine(s.Home, ".aws/credentials"), "aws_secret_access_key=X");
        s.Write(Path.Combine(s.Home, ".local/share/orchestrator/journal.db"), "JOURNAL");
        s.Write(Path.Combine(s.Home, "notes.txt"), "plain");

        var r = s.Python(Read, [Path.Combine(ssh, "id_ed25519"), Path.Combine(ssh, "known_hosts"), Path.Combine(s.Home, ".aws/credentials"),
            Path.Combine(s.Home, ".local/share/orchestrator/journal.db"), Path.Combine(s.Home, "notes.txt"), "/etc/shadow"],
            "--allow", "Read(~/.ssh/known_hosts)");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("PRIVATE KEY", r.Stdout);
        Assert.DoesNotContain("aws_secret", r.Stdout);
        Assert.DoesNotContain("JOURNAL", r.Stdout);
        Assert.DoesNotContain("root:", r.Stdout);
        Assert.Contains("'github.com ssh-ed25519 AAAA'", r.Stdout);
        Assert.Contains("notes.txt = 'plain'", r.Stdout);
    }

    [Theory, MemberData(nameof(Variants))]
    public void A_run_leaves_nothing_in_the_workspace_that_the_command_did_not_make(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        s.Write("src/a.txt", "a");
        s.Write(".git/HEAD", "ref: refs/heads/main\n");
        var before = s.WorkspaceEntries();

        var r = s.Shell("cat src/a.txt >/dev/null && ls -a > /dev/null", "--deny", "Read(**/.env)");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(before, s.WorkspaceEntries());
    }

    [Theory]
    [InlineData(SandboxVariant.BuiltInAsRoot)]
    [InlineData(SandboxVariant.BubblewrapAsUser)]
    public void A_sandbox_that_fails_before_the_command_is_reported_as_a_sandbox_failure_not_as_the_commands_exit(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var marker = Path.Combine(s.Workspace, "ran.txt");

        var r = s.Run(["--", "/usr/bin/touch", marker], environment: new Dictionary<string, string> { ["ORCHESTRATOR_SANDBOX_FAKE_FAILURE"] = "1" });

        Assert.True(r.ExitCode == 125, r.ToString());
        Assert.Contains("not run: sandbox failed to start: orchestrator-sandbox: injected setup failure", r.Stderr);
        Assert.False(File.Exists(marker));
    }
}
