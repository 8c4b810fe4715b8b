using System.Collections.Immutable;

namespace Orchestrator.Core.Paths;

/// <summary>A path that is not a harmless read: a credential store, a system secret or Orchestrator's own data.</summary>
/// <param name="Path">Absolute, lexically normal; covers everything beneath it.</param>
/// <param name="Why">Shown in verdicts and in <c>policy show</c>.</param>
public sealed record SensitivePath(string Path, string Why);

/// <summary>
/// The default deny-read set (DESIGN §3, README "Reads that are never harmless"): reading these is denied by the
/// policy and hidden by the sandbox in every mode, unless an allow rule that names the path itself (not a bare
/// wildcard) overrides it. Deny rules the user writes come on top.
/// </summary>
public static class SensitivePaths
{
    private static readonly (string Path, string Why)[] SystemFiles =
    [
        ("/etc/shadow", "password hashes"),
        ("/etc/shadow-", "password hashes (backup)"),
        ("/etc/gshadow", "group password hashes"),
        ("/etc/gshadow-", "group password hashes (backup)"),
        ("/etc/security/opasswd", "old password hashes"),
        ("/etc/sudoers", "sudo configuration"),
        ("/etc/sudoers.d", "sudo configuration"),
        ("/etc/ssh/ssh_host_rsa_key", "SSH host private key"),
        ("/etc/ssh/ssh_host_ecdsa_key", "SSH host private key"),
        ("/etc/ssh/ssh_host_ed25519_key", "SSH host private key"),
        ("/etc/ssh/ssh_host_dsa_key", "SSH host private key"),
        ("/root/.ssh", "root's SSH keys"),
    ];

    private static readonly (string Path, string Why)[] InHome =
    [
        ("~/.ssh", "SSH keys"),
        ("~/.gnupg", "GnuPG keys"),
        ("~/.aws", "AWS credentials"),
        ("~/.azure", "Azure credentials"),
        ("~/.config/gcloud", "Google Cloud credentials"),
        ("~/.kube", "Kubernetes credentials"),
        ("~/.docker/config.json", "Docker registry credentials"),
        ("~/.netrc", "network login credentials"),
        ("~/.git-credentials", "git credentials"),
        ("~/.config/git/credentials", "git credentials"),
        ("~/.config/gh/hosts.yml", "GitHub CLI token"),
        ("~/.npmrc", "npm registry tokens"),
        ("~/.pypirc", "PyPI credentials"),
        ("~/.cargo/credentials", "crates.io token"),
        ("~/.cargo/credentials.toml", "crates.io token"),
        ("~/.gem/credentials", "RubyGems credentials"),
        ("~/.nuget/NuGet/NuGet.Config", "NuGet feed credentials"),
        ("~/.vault-token", "Vault token"),
        ("~/.terraform.d/credentials.tfrc.json", "Terraform Cloud token"),
        ("~/.password-store", "pass password store"),
        ("~/.local/share/keyrings", "desktop keyrings"),
        ("~/.config/google-chrome", "browser profile (cookies, saved passwords)"),
        ("~/.config/chromium", "browser profile (cookies, saved passwords)"),
        ("~/.mozilla", "browser profile (cookies, saved passwords)"),
    ];

    /// <summary>Orchestrator's default data directory: <c>$XDG_DATA_HOME/orchestrator</c>, else <c>~/.local/share/orchestrator</c>.</summary>
    public static string DefaultDataDirectory(string homeDirectory, string? xdgDataHome) =>
        Path.Join(xdgDataHome is { Length: > 0 } xdg && xdg.StartsWith('/') ? xdg : Path.Join(homeDirectory, ".local", "share"),
            "orchestrator");

    /// <summary>The default set for a home directory, plus the data directories in use (journal, tokens, keys).</summary>
    public static ImmutableArray<SensitivePath> Defaults(string homeDirectory, IEnumerable<string> dataDirectories)
    {
        var list = new List<SensitivePath>();
        foreach (var (path, why) in SystemFiles) list.Add(new SensitivePath(path, why));
        foreach (var (path, why) in InHome)
            list.Add(new SensitivePath(PathText.NormalizeLexically(PathText.ExpandHome(path, homeDirectory)), why));
        foreach (var data in dataDirectories)
            if (data.StartsWith('/'))
                list.Add(new SensitivePath(PathText.NormalizeLexically(data), "Orchestrator's data (journal, tokens, keys)"));
        return [.. list.DistinctBy(p => p.Path, StringComparer.Ordinal)];
    }
}
