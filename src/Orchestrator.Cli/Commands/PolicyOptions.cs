using System.CommandLine;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Cli.Commands;

/// <summary>The options every policy-reading command shares: where the layers are and what the command line adds.</summary>
internal sealed class PolicyOptions
{
    public readonly Option<string?> Project = new("--project") { Description = "Project directory whose .orchestrator/ settings apply (default: the current directory)" };
    public readonly Option<string[]> Settings = new("--settings") { Description = "Extra settings file(s), command-line layer", AllowMultipleArgumentsPerToken = false };
    public readonly Option<string[]> Rules = new("--rules") { Description = "Codex .rules file(s), command-line layer" };
    public readonly Option<string[]> Allow = new("--allow") { Description = "Allow rule, e.g. 'Bash(npm test)'" };
    public readonly Option<string[]> Ask = new("--ask") { Description = "Ask rule" };
    public readonly Option<string[]> Deny = new("--deny") { Description = "Deny rule" };
    public readonly Option<string?> Mode = new("--mode") { Description = $"Mode: {PermissionMode.Names}" };
    public readonly Option<string?> Approval = new("--approval") { Description = "Approval policy: untrusted, on-request or never" };
    public readonly Option<string?> Network = new("--network") { Description = "Network: off, on or ask" };
    public readonly Option<string?> Managed = new("--managed-settings") { Description = $"Managed settings file (default {PolicyLoadOptions.DefaultManagedSettingsPath})" };
    public readonly Option<bool> NoUser = new("--no-user-settings") { Description = "Ignore the user layer (~/.config/orchestrator/settings.json)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Project, Settings, Rules, Allow, Ask, Deny, Mode, Approval, Network, Managed, NoUser })
            command.Options.Add(option);
    }

    /// <summary>The name of the first of these options given on the command line, or null.</summary>
    public string? Given(ParseResult result) =>
        new Option[] { Project, Settings, Rules, Allow, Ask, Deny, Mode, Approval, Network, Managed, NoUser }
            .FirstOrDefault(o => result.GetResult(o) is { Implicit: false })?.Name;

    public PolicyLoadOptions Build(ParseResult result)
    {
        var project = result.GetValue(Project) ?? Directory.GetCurrentDirectory();
        var options = new PolicyLoadOptions(Path.GetFullPath(project))
        {
            SettingsFiles = result.GetValue(Settings) ?? [],
            RulesFiles = result.GetValue(Rules) ?? [],
            AllowRules = result.GetValue(Allow) ?? [],
            AskRules = result.GetValue(Ask) ?? [],
            DenyRules = result.GetValue(Deny) ?? [],
            Mode = result.GetValue(Mode),
            ApprovalPolicy = result.GetValue(Approval),
            Network = result.GetValue(Network),
        };
        var managed = result.GetValue(Managed) ?? Environment.GetEnvironmentVariable("ORCHESTRATOR_MANAGED_SETTINGS");
        if (managed is not null) options = options with { ManagedSettingsPath = managed.Length == 0 ? null : managed };
        if (result.GetValue(NoUser)) options = options with { UserSettingsPath = null };
        return options;
    }
}
