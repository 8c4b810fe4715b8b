namespace Orchestrator.Core.Policy;

/// <summary>Where to find each settings layer and what the command line adds.</summary>
public sealed record PolicyLoadOptions(string ProjectDirectory)
{
    public const string DefaultManagedSettingsPath = "/etc/orchestrator/managed-settings.json";

    public string HomeDirectory { get; init; } = DefaultHome();
    /// <summary>Null disables the managed layer (tests); the default is <see cref="DefaultManagedSettingsPath"/>.</summary>
    public string? ManagedSettingsPath { get; init; } = DefaultManagedSettingsPath;
    public string? UserSettingsPath { get; init; } = DefaultUserSettings();
    public IReadOnlyList<string> SettingsFiles { get; init; } = [];
    public IReadOnlyList<string> RulesFiles { get; init; } = [];
    public IReadOnlyList<string> AllowRules { get; init; } = [];
    public IReadOnlyList<string> AskRules { get; init; } = [];
    public IReadOnlyList<string> DenyRules { get; init; } = [];
    public string? Mode { get; init; }
    public string? ApprovalPolicy { get; init; }
    public string? Network { get; init; }
    /// <summary>Orchestrator data directories in use (journal, tokens, keys): never read or written by a judged call.
    /// Null means the default data directory of <see cref="HomeDirectory"/>.</summary>
    public IReadOnlyList<string>? DataDirectories { get; init; }

    public IReadOnlyList<string> DataDirectoriesInUse =>
        DataDirectories ?? [Paths.SensitivePaths.DefaultDataDirectory(HomeDirectory, Environment.GetEnvironmentVariable("XDG_DATA_HOME"))];

    /// <summary>The data directory of the process's own home (where the server and the quarantine live by default).</summary>
    public static string DefaultDataDirectory() =>
        Paths.SensitivePaths.DefaultDataDirectory(DefaultHome(), Environment.GetEnvironmentVariable("XDG_DATA_HOME"));

    public static string DefaultHome() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home
            ? home
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string DefaultUserSettings()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(DefaultHome(), ".config");
        return Path.Combine(config, "orchestrator", "settings.json");
    }
}
