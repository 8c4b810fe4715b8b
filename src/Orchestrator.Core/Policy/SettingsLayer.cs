namespace Orchestrator.Core.Policy;

/// <summary>Settings layers, highest precedence first (DESIGN §3).</summary>
public enum SettingsLayer
{
    Managed,
    CommandLine,
    ProjectLocal,
    Project,
    User,
}

public static class SettingsLayerNames
{
    public static string Name(this SettingsLayer layer) => layer switch
    {
        SettingsLayer.Managed => "managed",
        SettingsLayer.CommandLine => "command-line",
        SettingsLayer.ProjectLocal => "project-local",
        SettingsLayer.Project => "project",
        SettingsLayer.User => "user",
        _ => layer.ToString(),
    };
}
