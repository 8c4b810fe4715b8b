using System.Collections.Immutable;

namespace Orchestrator.Core.Paths;

/// <summary>
/// File and directory names that stay read-only at any depth inside a writable root, because writing them lets an
/// agent run code later (hooks, shell startup, editor tasks, agent settings) or rewrite its own permissions.
/// </summary>
/// <remarks>
/// <c>.gitattributes</c> is deliberately absent: it can only name filter/diff drivers, and their commands live in git
/// config (<c>.git/config</c>, <c>.gitconfig</c>), which is protected; agents also edit it routinely. Add it through
/// configuration when wanted.
/// </remarks>
public static class ProtectedNames
{
    public static ImmutableArray<string> Defaults { get; } =
    [
        ".git",
        ".orchestrator",
        ".claude",
        ".codex",
        ".agents",
        ".vscode",
        ".idea",
        ".mcp.json",
        ".envrc",
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".bash_logout",
        ".zshrc",
        ".zshenv",
        ".zprofile",
        ".zlogin",
        ".profile",
        ".gitconfig",
        ".gitmodules",
    ];

    /// <summary>
    /// Paths below the home directory that stay protected in every mode, danger-full-access included (it lifts the
    /// sandbox, not the protection): shell startup files, git's global configuration, SSH, agent and Orchestrator
    /// settings, and places that start programs at login.
    /// </summary>
    public static ImmutableArray<string> HomeEntries { get; } =
    [
        ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zshenv", ".zprofile",
        ".zlogin", ".zlogout", ".gitconfig", ".config/git", ".ssh", ".config/orchestrator", ".claude", ".claude.json",
        ".codex", ".config/fish", ".config/systemd/user", ".config/autostart", ".pam_environment",
    ];

    /// <summary>System paths protected in every mode: the managed policy.</summary>
    public static ImmutableArray<string> SystemEntries { get; } = ["/etc/orchestrator"];

    /// <summary>The absolute protected locations for a home directory and the data directories in use.</summary>
    public static IEnumerable<string> AbsoluteLocations(string homeDirectory, IEnumerable<string> dataDirectories) =>
        HomeEntries.Select(entry => PathText.Join(homeDirectory.TrimEnd('/') is { Length: > 0 } h ? h : "/", entry))
            .Concat(SystemEntries).Concat(dataDirectories);
}
