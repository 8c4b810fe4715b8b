namespace Orchestrator.Core.Paths;

/// <summary>
/// Directories a <see cref="PathPattern"/> anchors to: <c>/x</c> to the settings file's directory, <c>./x</c> and
/// <c>x</c> to the working directory, <c>~/x</c> to home. <see cref="IgnoreCase"/> defaults to the platform's usual
/// filesystem behaviour (case-folding on macOS).
/// </summary>
public sealed record PathPatternBase(string SettingsDirectory, string WorkingDirectory, string HomeDirectory, bool? IgnoreCase = null)
{
    internal bool ResolvedIgnoreCase => IgnoreCase ?? PathText.PlatformIgnoresCase;
}
