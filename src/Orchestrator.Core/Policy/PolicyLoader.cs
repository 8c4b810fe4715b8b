using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Settings;
using Orchestrator.Core.Policy.Sources;

namespace Orchestrator.Core.Policy;

/// <summary>Finds and reads the five settings layers (DESIGN §3) and merges them into a <see cref="PolicySnapshot"/>.</summary>
public static class PolicyLoader
{
    public const string CommandLineOrigin = "<command line>";

    /// <summary>The flag (<c>--network</c>) a command-line setting came from, or null when it came from a file.</summary>
    public static string? FlagName(SourceLocation location) =>
        location.Line == 0 && location.File.StartsWith(CommandLineOrigin + " --", StringComparison.Ordinal)
            ? location.File[(CommandLineOrigin.Length + 1)..]
            : null;

    public static PolicySnapshot Load(PolicyLoadOptions options) => Load(options, PolicyFiles.Disk);

    /// <summary>Loads the policy reading every file through <paramref name="files"/> (the disk, a recording of it, or a record).</summary>
    public static PolicySnapshot Load(PolicyLoadOptions options, IPolicyFiles files) => PolicyMerger.Merge(ReadLayers(options, files), options);

    public static IReadOnlyList<LayerSettings> ReadLayers(PolicyLoadOptions options, IPolicyFiles? files = null)
    {
        files ??= PolicyFiles.Disk;
        var project = Path.GetFullPath(options.ProjectDirectory);
        var context = new RuleContext(project, project, options.HomeDirectory) { Files = files };
        var layers = new List<LayerSettings>();

        if (options.ManagedSettingsPath is { } managed && files.Observe(managed).Kind != PolicyFileKind.Missing)
            layers.Add(SettingsFileReader.ReadFile(managed, SettingsLayer.Managed, context));

        // Explicit flags come before the --settings files of the same layer, so a flag's value is the one that counts.
        layers.Add(CommandLineFlags(options, context));
        foreach (var file in options.SettingsFiles)
            layers.Add(SettingsFileReader.ReadFile(Path.GetFullPath(file), SettingsLayer.CommandLine, context));
        foreach (var file in options.RulesFiles)
            layers.Add(RulesFileLayer(Path.GetFullPath(file), SettingsLayer.CommandLine, options.HomeDirectory, files));

        var dotDir = Path.Combine(project, ".orchestrator");
        AddIfExists(layers, Path.Combine(dotDir, "settings.local.json"), SettingsLayer.ProjectLocal, context);
        AddIfExists(layers, Path.Combine(dotDir, "settings.json"), SettingsLayer.Project, context);
        var rulesDir = Path.Combine(dotDir, "rules");
        if (files.Observe(rulesDir) is { Kind: PolicyFileKind.Directory } listing)
            foreach (var name in listing.Entries.Where(n => n.EndsWith(Codex.CodexRulesParser.FileExtension, StringComparison.Ordinal)))
                layers.Add(RulesFileLayer(Path.Combine(rulesDir, name), SettingsLayer.Project, options.HomeDirectory, files));

        if (options.UserSettingsPath is { } user)
            AddIfExists(layers, user, SettingsLayer.User, context);
        return layers;
    }

    private static void AddIfExists(List<LayerSettings> layers, string path, SettingsLayer layer, RuleContext context)
    {
        if (context.Files.Observe(path).Kind != PolicyFileKind.Missing) layers.Add(SettingsFileReader.ReadFile(path, layer, context));
    }

    private static LayerSettings RulesFileLayer(string path, SettingsLayer layer, string homeDirectory, IPolicyFiles files)
    {
        if (files.Observe(path).Kind != PolicyFileKind.File)
            return new LayerSettings(layer, path) { Errors = [new PolicyLoadError(new SourceLocation(path, 0, 0), "rules file not found")] };
        var imported = CodexRuleImport.Load(path, layer, homeDirectory, files);
        return new LayerSettings(layer, path)
        {
            Rules = imported.Rules, Errors = imported.Errors, Warnings = imported.Warnings,
            HostExecutables = imported.HostExecutables, Digest = imported.Digest,
        };
    }

    private static LayerSettings CommandLineFlags(PolicyLoadOptions options, RuleContext context)
    {
        var errors = new List<PolicyLoadError>();
        var rules = new List<PermissionRule>();
        var result = new LayerSettings(SettingsLayer.CommandLine, CommandLineOrigin);
        var index = 0;
        void AddRules(IEnumerable<string> texts, RuleDecision decision, string flag)
        {
            foreach (var text in texts)
            {
                index++;
                var location = new SourceLocation($"{CommandLineOrigin} --{flag}", index, 1);
                var parsed = RuleParser.Parse(text, decision, new RuleOrigin(SettingsLayer.CommandLine, location), context);
                // A rule typed on the command line is meant now: any problem with it is an error, never a skipped rule.
                if (parsed.Rule is null) errors.Add(new PolicyLoadError(location with { Column = parsed.ErrorOffset + 1 }, $"invalid rule \"{text}\": {parsed.Error}"));
                else rules.Add(parsed.Rule);
            }
        }
        AddRules(options.DenyRules, RuleDecision.Deny, "deny");
        AddRules(options.AskRules, RuleDecision.Ask, "ask");
        AddRules(options.AllowRules, RuleDecision.Allow, "allow");

        static RuleOrigin Flag(string flag) => new(SettingsLayer.CommandLine, SourceLocation.Inline($"{CommandLineOrigin} --{flag}"));
        if (options.Mode is { } modeName)
        {
            var mode = PermissionMode.Find(modeName);
            if (mode is null) errors.Add(new PolicyLoadError(Flag("mode").Location, $"unknown mode '{modeName}'; expected one of {PermissionMode.Names}"));
            else
            {
                result = result with
                {
                    Sandbox = new(mode.Sandbox, Flag("mode")), AcceptEdits = new(mode.AcceptEdits, Flag("mode")),
                    AutoMode = mode.Name == PermissionMode.Auto ? new(true, Flag("mode")) : null,
                };
                if (mode.Approval is { } implied) result = result with { Approval = new(implied, Flag("mode")) };
            }
        }
        if (options.ApprovalPolicy is { } approvalName)
        {
            var approval = ModeNames.ParseApproval(approvalName);
            if (approval is null) errors.Add(new PolicyLoadError(Flag("approval").Location, $"unknown approval policy '{approvalName}'; expected untrusted, on-request or never"));
            else result = result with { Approval = new(approval.Value, Flag("approval")) };
        }
        if (options.Network is { } networkName)
        {
            var network = ModeNames.ParseNetwork(networkName);
            if (network is null) errors.Add(new PolicyLoadError(Flag("network").Location, $"unknown network setting '{networkName}'; expected off, on or ask"));
            else result = result with { Network = new(network.Value, Flag("network")) };
        }
        return result with { Rules = errors.Count == 0 ? rules : [], Errors = errors };
    }
}
