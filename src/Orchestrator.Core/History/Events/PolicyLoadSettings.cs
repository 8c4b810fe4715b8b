using System.Collections.Immutable;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>The <see cref="PolicyLoadOptions"/> a recorded policy was loaded with (data directories resolved).</summary>
public sealed record PolicyLoadSettings(
    string ProjectDirectory,
    string HomeDirectory,
    string? ManagedSettingsPath,
    string? UserSettingsPath,
    ImmutableArray<string> SettingsFiles,
    ImmutableArray<string> RulesFiles,
    ImmutableArray<string> AllowRules,
    ImmutableArray<string> AskRules,
    ImmutableArray<string> DenyRules,
    string? Mode,
    string? ApprovalPolicy,
    string? Network,
    ImmutableArray<string> DataDirectories)
{
    public static PolicyLoadSettings From(PolicyLoadOptions o) => new(
        Path.GetFullPath(o.ProjectDirectory), o.HomeDirectory, o.ManagedSettingsPath, o.UserSettingsPath,
        [.. o.SettingsFiles.Select(Path.GetFullPath)], [.. o.RulesFiles.Select(Path.GetFullPath)], [.. o.AllowRules], [.. o.AskRules], [.. o.DenyRules],
        o.Mode, o.ApprovalPolicy, o.Network, [.. o.DataDirectoriesInUse]);

    public PolicyLoadOptions ToOptions() => new(ProjectDirectory)
    {
        HomeDirectory = HomeDirectory,
        ManagedSettingsPath = ManagedSettingsPath,
        UserSettingsPath = UserSettingsPath,
        SettingsFiles = SettingsFiles,
        RulesFiles = RulesFiles,
        AllowRules = AllowRules,
        AskRules = AskRules,
        DenyRules = DenyRules,
        Mode = Mode,
        ApprovalPolicy = ApprovalPolicy,
        Network = Network,
        DataDirectories = DataDirectories,
    };
}
