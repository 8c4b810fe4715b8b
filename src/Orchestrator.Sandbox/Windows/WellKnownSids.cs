namespace Orchestrator.Sandbox.Windows;

/// <summary>The well-known SIDs the plans name, as SDDL strings.</summary>
public static class WellKnownSids
{
    public const string Everyone = "S-1-1-0";
    public const string BuiltinAdministrators = "S-1-5-32-544";
    public const string LocalAccountAndAdministrator = "S-1-5-114";
    public const string LowIntegrity = "S-1-16-4096";
    public const string MediumIntegrity = "S-1-16-8192";
    public const string InternetClientCapability = "S-1-15-3-1";
    public const string InternetClientServerCapability = "S-1-15-3-2";
    public const string PrivateNetworkClientServerCapability = "S-1-15-3-3";

    /// <summary>Placeholder for the caller's logon-session SID, resolved from its token at launch.</summary>
    public const string LogonSessionPlaceholder = "LOGON_SESSION_SID";
}
