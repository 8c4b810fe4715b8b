using System.Collections.Immutable;

namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// Arguments for CreateRestrictedToken and the token adjustments after it.
/// <see cref="WriteRestricted"/>: the restricting SIDs are checked for write access only, so the command reads what
/// the user can read and writes only where a restricting SID is granted.
/// </summary>
public sealed record RestrictedTokenSettings(
    bool DisableMaxPrivilege,
    bool WriteRestricted,
    ImmutableArray<string> DenyOnlySids,
    ImmutableArray<string> RestrictingSids,
    string IntegrityLevelSid,
    bool DefaultDaclGrantsRestrictingSid);
