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

    /// <summary>
    /// The administrator's, the operator's command line and the user's own files: beyond the reach of the agents working
    /// in a workspace, whose own files (project, project-local) they can write. Settings that act in a person's place
    /// or widen what an agent can reach come only from these.
    /// </summary>
    public static bool IsBeyondTheAgentsReach(this SettingsLayer? layer) =>
        layer is SettingsLayer.Managed or SettingsLayer.CommandLine or SettingsLayer.User;
}
