using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>What one of Codex's command-safety checks says about a command.</summary>
internal enum CodexVerdict
{
    /// <summary><c>is_known_safe_command</c> (or the read-only subagent list) accepts it.</summary>
    Safe,

    /// <summary><c>is_known_safe_command</c> rejects it.</summary>
    Unsafe,

    /// <summary><c>command_might_be_dangerous</c> / <c>dangerous_command_match</c> flags it.</summary>
    Dangerous,
}

/// <summary>Where we deliberately part from Codex, and why.</summary>
internal enum Deviation
{
    None,

    /// <summary>Codex calls it safe; we do not classify it read-only.</summary>
    Stricter,

    /// <summary>Codex does not auto-approve it; we classify it read-only.</summary>
    MorePermissive,
}

/// <param name="Argv">The command as Codex's tests pass it (already split).</param>
/// <param name="Source">The Codex file and test the case comes from.</param>
/// <param name="Risk">When set, the exact risk we give it.</param>
internal sealed record CodexSafetyCase(string[] Argv, CodexVerdict Codex, string Source, Deviation Deviation = Deviation.None,
    string? Why = null, CommandRisk? Risk = null)
{
    public override string ToString() => $"{Codex}: {string.Join(" ", Argv.Select(a => a.Contains(' ') ? $"'{a}'" : a))}";
}

/// <summary>
/// The cases of Codex's safe-command and dangerous-command unit tests (openai/codex, codex-rs/shell-command and the
/// older codex-rs/core copies), ported as data. Several Codex versions disagree (git was safe, then required
/// approval); every version's case is kept with its source.
/// </summary>
internal static class CodexSafetyCases
{
    private const string Safe = "shell-command/src/command_safety/is_safe_command.rs";
    private const string SafeCore = "core/src/command_safety/is_safe_command.rs (git-aware versions)";
    private const string Unix = "core/src/command_safety/unix_safe_commands.rs";
    private const string Subagent = "core/src/command_safety/read_only_commands.rs";
    private const string Danger = "shell-command/src/command_safety/is_dangerous_command.rs";
    private const string DangerCore = "core/src/command_safety/is_dangerous_command.rs";
    private const string DangerGit = "shell-command/src/command_safety/is_dangerous_command.rs (git-aware versions)";
    private const string Windows = "shell-command/src/command_safety/windows_safe_commands.rs";

    private const string GitConfigIsProtected =
        "git's read commands only run programs that repository or user configuration names (core.fsmonitor, " +
        "diff.external, filters); that configuration lives in protected paths (.git, ~/.gitconfig) the agent cannot " +
        "write unasked, and the command itself runs in the sandbox. Codex requires approval since openai/codex#27041.";

    private const string SubshellsAreParsed =
        "our shell parser fully understands subshells; Codex's plain-command parser rejects them only because it cannot see inside";

    private const string PowerShellNotAnalysed = "we do not analyse PowerShell scripts, so every pwsh/powershell invocation asks";

    public static readonly CodexSafetyCase[] All =
    [
        // is_safe_command.rs: known_safe_examples, ripgrep_rules, zsh/bash -lc examples.
        new(["ls"], CodexVerdict.Safe, Safe),
        new(["base64"], CodexVerdict.Safe, Safe),
        new(["sed", "-n", "1,5p", "file.txt"], CodexVerdict.Safe, Safe),
        new(["nl", "-nrz", "Cargo.toml"], CodexVerdict.Safe, Safe),
        new(["find", ".", "-name", "file.txt"], CodexVerdict.Safe, Safe),
        new(["numfmt", "1000"], CodexVerdict.Safe, Safe),
        new(["tac", "Cargo.toml"], CodexVerdict.Safe, Safe),
        new(["rg", "Cargo.toml", "-n"], CodexVerdict.Safe, Safe),
        new(["zsh", "-lc", "ls"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "ls"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "ls -1"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "grep -R \"Cargo.toml\" -n"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "sed -n 1,5p file.txt"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "sed -n '1,5p' file.txt"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "find . -name file.txt"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "grep -R \"Cargo.toml\" -n || true"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "ls && pwd"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "echo 'hi' ; ls"], CodexVerdict.Safe, Safe),
        new(["bash", "-lc", "ls | wc -l"], CodexVerdict.Safe, Safe),

        // is_safe_command.rs: unknown_or_partial, base64_output_options_are_unsafe, ripgrep_rules, bash_lc_unsafe_examples.
        new(["foo"], CodexVerdict.Unsafe, Safe),
        new(["git", "fetch"], CodexVerdict.Unsafe, Safe, Risk: CommandRisk.Network),
        new(["sed", "-n", "xp", "file.txt"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive,
            "our sed script parser proves 'xp' only swaps and prints; Codex accepts nothing but N[,M]p"),
        new(["find", ".", "-name", "file.txt", "-exec", "rm", "{}", ";"], CodexVerdict.Unsafe, Safe),
        new(["find", ".", "-name", "*.py", "-execdir", "python3", "{}", ";"], CodexVerdict.Unsafe, Safe),
        new(["find", ".", "-name", "file.txt", "-ok", "rm", "{}", ";"], CodexVerdict.Unsafe, Safe),
        new(["find", ".", "-name", "*.py", "-okdir", "python3", "{}", ";"], CodexVerdict.Unsafe, Safe),
        new(["find", ".", "-delete", "-name", "file.txt"], CodexVerdict.Unsafe, Safe, Risk: CommandRisk.Destructive),
        new(["find", ".", "-fls", "/etc/passwd"], CodexVerdict.Unsafe, Safe),
        new(["find", ".", "-fprint", "/etc/passwd"], CodexVerdict.Unsafe, Safe),
        new(["find", ".", "-fprint0", "/etc/passwd"], CodexVerdict.Unsafe, Safe),
        new(["find", ".", "-fprintf", "/root/suid.txt", "%#m %u %p\n"], CodexVerdict.Unsafe, Safe),
        new(["base64", "-o", "out.bin"], CodexVerdict.Unsafe, Safe, Risk: CommandRisk.WorkspaceWrite),
        new(["base64", "--output", "out.bin"], CodexVerdict.Unsafe, Safe, Risk: CommandRisk.WorkspaceWrite),
        new(["base64", "--output=out.bin"], CodexVerdict.Unsafe, Safe, Risk: CommandRisk.WorkspaceWrite),
        new(["base64", "-ob64.txt"], CodexVerdict.Unsafe, Safe, Risk: CommandRisk.WorkspaceWrite),
        new(["rg", "--search-zip", "files"], CodexVerdict.Unsafe, Safe),
        new(["rg", "-z", "files"], CodexVerdict.Unsafe, Safe),
        new(["rg", "--pre", "pwned", "files"], CodexVerdict.Unsafe, Safe),
        new(["rg", "--pre=pwned", "files"], CodexVerdict.Unsafe, Safe),
        new(["rg", "--hostname-bin", "pwned", "files"], CodexVerdict.Unsafe, Safe),
        new(["rg", "--hostname-bin=pwned", "files"], CodexVerdict.Unsafe, Safe),
        new(["cargo", "check"], CodexVerdict.Unsafe, Safe),
        new(["bash", "-lc", "git", "status"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive,
            "bash runs the script 'git' with $0 set to 'status': git alone only prints usage"),
        new(["bash", "-lc", "'git status'"], CodexVerdict.Unsafe, Safe),
        new(["bash", "-lc", "find . -name file.txt -delete"], CodexVerdict.Unsafe, Safe),
        new(["bash", "-lc", "ls && rm -rf /"], CodexVerdict.Unsafe, Safe, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "(ls)"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, SubshellsAreParsed),
        new(["bash", "-lc", "ls || (pwd && echo hi)"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, SubshellsAreParsed),
        new(["bash", "-lc", "ls > out.txt"], CodexVerdict.Unsafe, Safe),

        // is_safe_command.rs, latest: git_commands_require_approval.
        new(["git", "status"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, GitConfigIsProtected),
        new(["git", "diff", "-p"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, GitConfigIsProtected),
        new(["git", "log", "-p", "-1"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, GitConfigIsProtected),
        new(["git", "show", "-p", "HEAD"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, GitConfigIsProtected),
        new(["git", "branch", "--show-current"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, GitConfigIsProtected),
        new(["bash", "-lc", "git status"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, GitConfigIsProtected),
        new(["bash", "-lc", "git log -p -1"], CodexVerdict.Unsafe, Safe, Deviation.MorePermissive, GitConfigIsProtected),
        new([@"C:\Program Files\Git\cmd\git.exe", "status"], CodexVerdict.Unsafe, Safe),

        // Older is_safe_command.rs with git rules: known_safe_examples and the git tests.
        new(["git", "branch"], CodexVerdict.Safe, SafeCore),
        new(["git", "-C", ".", "branch", "--show-current"], CodexVerdict.Safe, SafeCore),
        new(["git", "branch", "-d", "feature"], CodexVerdict.Unsafe, SafeCore, Risk: CommandRisk.WorkspaceWrite),
        new(["git", "branch", "new-branch"], CodexVerdict.Unsafe, SafeCore, Risk: CommandRisk.WorkspaceWrite),
        new(["git", "-C", ".", "branch", "-d", "feature"], CodexVerdict.Unsafe, SafeCore, Risk: CommandRisk.WorkspaceWrite),
        new(["bash", "-lc", "git -C . branch -d feature"], CodexVerdict.Unsafe, SafeCore, Risk: CommandRisk.WorkspaceWrite),
        new(["git", "checkout", "status"], CodexVerdict.Unsafe, SafeCore),
        new(["git", "log", "--output=/tmp/git-log-out-test", "-n", "1"], CodexVerdict.Unsafe, SafeCore),
        new(["git", "diff", "--output", "/tmp/git-diff-out-test"], CodexVerdict.Unsafe, SafeCore),
        new(["git", "show", "--output=/tmp/git-show-out-test", "HEAD"], CodexVerdict.Unsafe, SafeCore),
        new(["git", "-c", "core.pager=cat", "log", "-n", "1"], CodexVerdict.Unsafe, SafeCore),
        new(["git", "-ccore.pager=cat", "status"], CodexVerdict.Unsafe, SafeCore),

        // unix_safe_commands.rs (an older Unix list).
        new(["rg", "foo"], CodexVerdict.Safe, Unix),
        new(["rg", "--context", "1", "--heading", "foo"], CodexVerdict.Safe, Unix),
        new(["rg", "--pre", "python"], CodexVerdict.Unsafe, Unix),
        new(["rg", "--hostname-bin", "whoami"], CodexVerdict.Unsafe, Unix),
        new(["rg", "--search-zip", "needle"], CodexVerdict.Unsafe, Unix),
        new(["rg", "-z", "needle"], CodexVerdict.Unsafe, Unix),
        new(["find", ".", "-delete"], CodexVerdict.Unsafe, Unix, Risk: CommandRisk.Destructive),
        new(["cargo", "check"], CodexVerdict.Safe, Unix, Deviation.Stricter, "cargo check runs build scripts and procedural macros, which are arbitrary code"),
        new(["bash", "-lc", "ls && git status"], CodexVerdict.Safe, Unix),
        new(["bash", "-lc", "ls | head"], CodexVerdict.Safe, Unix),
        new(["bash", "-lc", "ls ; git status"], CodexVerdict.Safe, Unix),
        new(["bash", "-lc", "ls && git status || head"], CodexVerdict.Safe, Unix),
        new(["bash", "-lc", "ls && git status | head"], CodexVerdict.Safe, Unix),
        new(["bash", "-lc", "ls && rm foo"], CodexVerdict.Unsafe, Unix, Risk: CommandRisk.WorkspaceWrite),
        new(["bash", "-lc", "ls | rm foo"], CodexVerdict.Unsafe, Unix, Risk: CommandRisk.WorkspaceWrite),
        new(["bash", "-lc", "ls ; rm foo"], CodexVerdict.Unsafe, Unix, Risk: CommandRisk.WorkspaceWrite),

        // read_only_commands.rs (the read-only subagent list).
        new(["git", "diff", "--stat"], CodexVerdict.Safe, Subagent),
        new(["find", ".", "-name", "*.rs"], CodexVerdict.Safe, Subagent),
        new(["tree"], CodexVerdict.Safe, Subagent),
        new(["head", "-n", "10"], CodexVerdict.Safe, Subagent),
        new(["tail", "-n", "10"], CodexVerdict.Safe, Subagent),
        new(["wc", "-l"], CodexVerdict.Safe, Subagent),
        new(["cat", "Cargo.toml"], CodexVerdict.Safe, Subagent),
        new(["file", "Cargo.toml"], CodexVerdict.Safe, Subagent),
        new(["stat", "Cargo.toml"], CodexVerdict.Safe, Subagent),
        new(["rm", "-rf"], CodexVerdict.Unsafe, Subagent, Risk: CommandRisk.Destructive),
        new(["git", "checkout", "main"], CodexVerdict.Unsafe, Subagent),
        new(["touch", "file"], CodexVerdict.Unsafe, Subagent, Risk: CommandRisk.WorkspaceWrite),
        new(["bash", "-lc", "ls && touch file"], CodexVerdict.Unsafe, Subagent, Risk: CommandRisk.WorkspaceWrite),

        // is_dangerous_command.rs, every version.
        new(["rm", "-rf", "/"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["rm", "-f", "/"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["/bin/rm", "-fr", "/tmp/example"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["rm", "-r", "-f", "/tmp/example"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["rm", "--force", "/tmp/example"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["rm", "/tmp/example", "-f"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["sudo", "rm", "-rf", "/tmp/example"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "printf x | rm -rf /tmp/example"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "if test -d /tmp/example; then rm --force /tmp/example; fi"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "rm -rf \"$TARGET\" >/dev/null"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "for target in /tmp/a /tmp/b; do rm -r -f \"$target\"; done"], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "echo \"$(rm -rf /tmp/example)\""], CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "for a in '-C5a25KeRr' '--' '--json' '--bogus'; do HOME=$(mktemp -d) MDE_URL=http://127.0.0.1:1 MDE_TOKEN=x node cli/mde.cjs ls \"$a\" >/tmp/mde-review-out 2>/tmp/mde-review-err; code=$?; printf '%s\\t%s\\t%s\\n' \"$a\" \"$code\" \"$(tr '\\n' ' ' </tmp/mde-review-err)\"; rm -rf \"$HOME\"; done"],
            CodexVerdict.Dangerous, Danger, Risk: CommandRisk.Destructive),
        // non_forced_or_non_literal_rm_is_not_dangerous: not dangerous to Codex, and not safe either.
        new(["rm", "-r", "/tmp/example"], CodexVerdict.Unsafe, Danger, Risk: CommandRisk.Destructive),
        new(["rm", "--", "-f"], CodexVerdict.Unsafe, Danger, Risk: CommandRisk.WorkspaceWrite),
        new(["bash", "-lc", "cmd=rm; $cmd -rf /tmp/example"], CodexVerdict.Unsafe, Danger, Risk: CommandRisk.Unknown),
        new(["bash", "-lc", "if then rm -rf /tmp/example"], CodexVerdict.Unsafe, Danger, Risk: CommandRisk.Unknown),
        new(["bash", "-lc", "echo 'rm -rf /tmp/example'"], CodexVerdict.Safe, Danger),

        new(["git", "reset"], CodexVerdict.Dangerous, DangerCore, Risk: CommandRisk.WorkspaceWrite),
        new(["bash", "-lc", "git reset --hard"], CodexVerdict.Dangerous, DangerCore, Risk: CommandRisk.Destructive),
        new(["zsh", "-lc", "git reset --hard"], CodexVerdict.Dangerous, DangerCore, Risk: CommandRisk.Destructive),
        new(["sudo", "git", "reset", "--hard"], CodexVerdict.Dangerous, DangerCore, Risk: CommandRisk.Destructive),
        new(["/usr/bin/git", "reset", "--hard"], CodexVerdict.Dangerous, DangerCore, Risk: CommandRisk.Destructive),

        new(["git", "branch", "-D", "feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "branch", "-dv", "feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.WorkspaceWrite),
        new(["git", "branch", "-vd", "feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.WorkspaceWrite),
        new(["git", "branch", "-vD", "feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "branch", "-Dvv", "feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "git branch --delete feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.WorkspaceWrite),
        new(["git", "-c", "color.ui=false", "branch", "-D", "feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "checkout", "reset"], CodexVerdict.Unsafe, DangerGit, Risk: CommandRisk.WorkspaceWrite),
        new(["git", "push", "--force", "origin", "main"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "push", "-f", "origin", "main"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "-C", ".", "push", "--force-with-lease", "origin", "main"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "push", "origin", "+main"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "push", "origin", "+refs/heads/main:refs/heads/main"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "push", "--delete", "origin", "feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "push", "-d", "origin", "feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "push", "origin", ":feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["bash", "-lc", "git push origin :feature"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "push", "origin", "main"], CodexVerdict.Unsafe, DangerGit, Risk: CommandRisk.Network),
        new(["git", "clean", "-fdx"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "clean", "-xdf"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["git", "clean", "--force"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["rm", "-r", "/tmp/foo"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["rm", "-fr", "/tmp/foo"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["sudo", "bash", "-lc", "rm -rf /"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Destructive),
        new(["pwsh", "-Command", "Remove-Item test -Force"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Unknown),
        new(["cmd", "/c", "del /f foo"], CodexVerdict.Dangerous, DangerGit, Risk: CommandRisk.Unknown),

        // windows_safe_commands.rs: PowerShell wrappers Codex parses with the real PowerShell parser.
        new(["powershell.exe", "-NoLogo", "-Command", "Get-ChildItem -Path ."], CodexVerdict.Safe, Windows, Deviation.Stricter, PowerShellNotAnalysed),
        new(["powershell.exe", "-NoProfile", "-Command", "git status"], CodexVerdict.Safe, Windows, Deviation.Stricter, PowerShellNotAnalysed),
        new(["powershell.exe", "Get-Content", "Cargo.toml"], CodexVerdict.Safe, Windows, Deviation.Stricter, PowerShellNotAnalysed),
        new(["pwsh", "-Command", "rg --pre cat pattern"], CodexVerdict.Unsafe, Windows),
        new(["pwsh", "-Command", "Set-Content notes.txt data"], CodexVerdict.Unsafe, Windows),
        new(["powershell", "-File", "script.ps1"], CodexVerdict.Unsafe, Windows),
    ];
}
