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
}
