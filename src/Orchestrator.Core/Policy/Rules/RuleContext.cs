namespace Orchestrator.Core.Policy.Rules;

/// <summary>
/// What relative rule paths are relative to: <c>/x</c> to the settings file's directory, <c>./x</c> and <c>x</c>
/// to the project directory, <c>~/x</c> to the home directory.
/// </summary>
public sealed record RuleContext(string SettingsDirectory, string ProjectDirectory, string HomeDirectory)
{
    /// <summary>Where the files a settings file names (Codex rules) are read from.</summary>
    public Sources.IPolicyFiles Files { get; init; } = Sources.PolicyFiles.Disk;
}
