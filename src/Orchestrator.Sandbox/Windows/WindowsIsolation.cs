namespace Orchestrator.Sandbox.Windows;

/// <summary>How the command's identity is confined.</summary>
public enum WindowsIsolation
{
    /// <summary>danger-full-access: the caller's own token.</summary>
    None,

    /// <summary>A write-restricted, privilege-stripped copy of the caller's token.</summary>
    RestrictedToken,

    /// <summary>An AppContainer: reads limited to what the container SID is granted; network only by capability.</summary>
    AppContainer,
}
