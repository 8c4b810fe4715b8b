using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Policy;

/// <summary>
/// Merges layers (DESIGN §3): rule arrays concatenate, highest layer first; each scalar comes from the highest layer
/// that sets it, and within the command-line layer explicit flags come before <c>--settings</c> files, so a flag beats a
/// file; <c>allowManagedRulesOnly</c> in the managed layer drops every other layer's rules. When any source failed to
/// load, only the managed layer's rules survive and the evaluator denies the rest (fail closed).
/// </summary>
public static class PolicyMerger
{
    public static PolicySnapshot Merge(IReadOnlyList<LayerSettings> layers, PolicyLoadOptions options)
    {
        var ordered = layers.OrderBy(l => (int)l.Layer).ThenBy(l => l.Source == PolicyLoader.CommandLineOrigin ? 0 : 1).ToArray();
        var errors = ordered.SelectMany(l => l.Errors).ToArray();
        var warnings = new List<PolicyLoadError>(ordered.SelectMany(l => l.Warnings));
        var managedOnly = ordered.Where(l => l.Layer == SettingsLayer.Managed).Any(l => l.AllowManagedRulesOnly?.Value == true);
        var rulesFrom = errors.Length > 0 || managedOnly
            ? ordered.Where(l => l.Layer == SettingsLayer.Managed)
            : ordered;
        var rules = WithHostExecutables(rulesFrom.ToArray());
        if (managedOnly)
            foreach (var dropped in ordered.Where(l => l.Layer != SettingsLayer.Managed && l.Rules.Count > 0))
                warnings.Add(new PolicyLoadError(SourceLocation.Inline(dropped.Source),
                    $"{dropped.Rules.Count} rule(s) ignored: the managed policy sets allowManagedRulesOnly"));

        warnings.AddRange(FlagOverrides(ordered));

        var bypassDisabled = ordered.Any(l => l.DisableBypassPermissionsMode?.Value == true && l.Layer == SettingsLayer.Managed);
        var sandbox = First(ordered, l => l.Sandbox);
        if (bypassDisabled && sandbox is { Value: Calls.SandboxMode.DangerFullAccess } && sandbox.Origin.Layer != SettingsLayer.Managed)
        {
            warnings.Add(new PolicyLoadError(sandbox.Origin.Location,
                "danger-full-access is disabled by the managed policy (disableBypassPermissionsMode); using workspace-write"));
            sandbox = new Sourced<Calls.SandboxMode>(Calls.SandboxMode.WorkspaceWrite, sandbox.Origin);
        }

        var (approval, acceptEdits) = RefuseDisabledAutoMode(ordered, First(ordered, l => l.Approval), First(ordered, l => l.AcceptEdits), warnings);

        var project = Path.GetFullPath(options.ProjectDirectory);
        var projectOrigin = new RuleOrigin(SettingsLayer.Project, SourceLocation.Inline("<project directory>"));
        var extraWritable = ordered.SelectMany(l => l.WritableRoots.Concat(l.AdditionalDirectories))
            .Select(s => s with { Value = Resolve(s.Value, s.Origin, project, options.HomeDirectory) }).ToArray();
        var writable = new[] { new Sourced<string>(project, projectOrigin) }.Concat(extraWritable).ToArray();
        var readable = writable;
        var dataDirectories = options.DataDirectoriesInUse
            .Select(d => Path.GetFullPath(PathText.ExpandHome(d, options.HomeDirectory), project)).Distinct(StringComparer.Ordinal).ToArray();

        var hookLayers = HookLayers(ordered, errors.Length > 0 || managedOnly).Where(l => l.Hooks is not null).ToArray();
        return new PolicySnapshot
        {
            ProjectDirectory = project,
            HomeDirectory = options.HomeDirectory,
            DenyRules = rules.Where(r => r.Decision == RuleDecision.Deny).ToArray(),
            AskRules = rules.Where(r => r.Decision == RuleDecision.Ask).ToArray(),
            AllowRules = rules.Where(r => r.Decision == RuleDecision.Allow).ToArray(),
            Sandbox = sandbox,
            Approval = approval,
            AcceptEdits = acceptEdits,
            Network = First(ordered, l => l.Network),
            MaxInputBytesSetting = First(ordered, l => l.MaxInputBytes),
            AllowManagedRulesOnly = managedOnly,
            BypassPermissionsDisabled = bypassDisabled,
            WritableRoots = writable,
            ReadableRoots = readable,
            ProtectedPaths = ordered.SelectMany(l => l.ProtectedPaths).Concat(HookScriptPaths(hookLayers, project, options.HomeDirectory)).ToArray(),
            SensitiveReadPaths = SensitivePaths.Defaults(options.HomeDirectory, dataDirectories),
            DataDirectories = dataDirectories,
            Hooks = hookLayers.Select(l => l.Hooks!).ToArray(),
            HookLayers = hookLayers.Select(l => l.Layer).ToArray(),
            Errors = errors,
            Warnings = warnings,
            Sources = ordered.Where(l => l.Digest.Length > 0 || l.Rules.Count > 0 || l.Errors.Count > 0)
                .Select(l => new PolicySource(l.Layer, l.Source, l.Digest, l.Rules.Count)).ToArray(),
            Version = Version(ordered, options, project, dataDirectories),
        };
    }

    /// <summary>The scripts inside the workspace that the hooks in force run: protected, so no sandboxed command rewrites its guard.</summary>
    private static IEnumerable<Sourced<string>> HookScriptPaths(LayerSettings[] hookLayers, string project, string home) =>
        from layer in hookLayers
        from matcher in Hooks.HookConfiguration.Parse([layer.Hooks!], project, home, [layer.Layer]).Matchers
        from hook in matcher.Hooks
        where hook.Type == Hooks.HookType.Command
        from script in Hooks.HookScripts.Of(hook.Command, project)
        select new Sourced<string>(script, new RuleOrigin(layer.Layer, hook.Location));

    /// <summary>
    /// Whose hooks run: none when the managed layer sets <c>disableAllHooks</c>; only the managed layer's when it sets
    /// <c>allowManagedHooksOnly</c>, when another layer sets <c>disableAllHooks</c> (it cannot switch off the
    /// administrator's hooks), or when the policy is managed-only or failed to load; else every layer's.
    /// </summary>
    private static IEnumerable<LayerSettings> HookLayers(LayerSettings[] ordered, bool managedRulesOnly)
    {
        bool Managed(LayerSettings l) => l.Layer == SettingsLayer.Managed;
        if (ordered.Any(l => Managed(l) && l.DisableAllHooks?.Value == true)) return [];
        var managedHooksOnly = managedRulesOnly
            || ordered.Any(l => Managed(l) && l.AllowManagedHooksOnly?.Value == true)
            || ordered.Any(l => !Managed(l) && l.DisableAllHooks?.Value == true);
        return managedHooksOnly ? ordered.Where(Managed) : ordered;
    }

    /// <summary>
    /// The layers' rules, with Codex prefix rules extended by the <c>host_executable</c> entries in force. Codex loads
    /// layers lowest first and a later entry for a name replaces an earlier one, so the highest layer's entry (and in a
    /// layer, the last one) wins.
    /// </summary>
    private static PermissionRule[] WithHostExecutables(LayerSettings[] layers)
    {
        var rules = layers.SelectMany(l => l.Rules).ToArray();
        var inLoadOrder = layers.GroupBy(l => l.Layer).Reverse().SelectMany(g => g).SelectMany(l => l.HostExecutables);
        var hosts = Codex.CodexHostExecutables.Of(inLoadOrder);
        if (hosts.Count == 0) return rules;
        return rules.Select(r => r.Specifier is CodexPrefixSubject { Rule: var prefix } && hosts.Apply(prefix) is { } extended
            ? r with { Specifier = new CodexPrefixSubject(extended) }
            : r).ToArray();
    }

    /// <summary>
    /// Claude Code's <c>disableAutoMode: "disable"</c>, in any layer, refuses the auto mode wherever it is named: the
    /// values the auto mode set fall back to the default mode's (workspace-write is the same; approval untrusted, edits
    /// not accepted).
    /// </summary>
    private static (Sourced<Calls.ApprovalPolicy>?, Sourced<bool>?) RefuseDisabledAutoMode(LayerSettings[] ordered,
        Sourced<Calls.ApprovalPolicy>? approval, Sourced<bool>? acceptEdits, List<PolicyLoadError> warnings)
    {
        var disabledBy = ordered.Select(l => l.DisableAutoMode).FirstOrDefault(d => d?.Value == true);
        var auto = ordered.Select(l => l.AutoMode).FirstOrDefault(a => a is not null);
        if (disabledBy is null || auto is null) return (approval, acceptEdits);
        var fallback = PermissionMode.Default;
        var refused = false;
        if (approval?.Origin == auto.Origin)
        {
            approval = approval with { Value = fallback.Approval!.Value };
            refused = true;
        }
        if (acceptEdits?.Origin == auto.Origin)
        {
            acceptEdits = acceptEdits with { Value = fallback.AcceptEdits };
            refused = true;
        }
        if (refused)
            warnings.Add(new PolicyLoadError(auto.Origin.Location,
                $"auto mode is disabled by disableAutoMode ({disabledBy.Origin}); using the default mode instead"));
        return (approval, acceptEdits);
    }

    /// <summary>A value a <c>--settings</c> file sets and a flag overrides is named, so the file is not silently ignored.</summary>
    private static IEnumerable<PolicyLoadError> FlagOverrides(LayerSettings[] ordered)
    {
        var flags = ordered.FirstOrDefault(l => l.Source == PolicyLoader.CommandLineOrigin);
        if (flags is null) yield break;
        foreach (var file in ordered.Where(l => l.Layer == SettingsLayer.CommandLine && l != flags))
        {
            if (Overridden("sandbox mode", file.Sandbox, flags.Sandbox, m => m.Name()) is { } sandbox) yield return sandbox;
            if (Overridden("approval policy", file.Approval, flags.Approval, a => a.Name()) is { } approval) yield return approval;
            if (Overridden("network", file.Network, flags.Network, n => n.Name()) is { } network) yield return network;
            if (Overridden("accept edits", file.AcceptEdits, flags.AcceptEdits, b => b ? "yes" : "no") is { } edits) yield return edits;
        }
    }

    private static PolicyLoadError? Overridden<T>(string name, Sourced<T>? fromFile, Sourced<T>? fromFlag, Func<T, string> show) =>
        fromFile is not null && fromFlag is not null && !EqualityComparer<T>.Default.Equals(fromFile.Value, fromFlag.Value)
            ? new PolicyLoadError(fromFile.Origin.Location,
                $"{name} {show(fromFile.Value)} is overridden by the flag {PolicyLoader.FlagName(fromFlag.Origin.Location)} ({show(fromFlag.Value)})")
            : null;

    private static Sourced<T>? First<T>(IEnumerable<LayerSettings> ordered, Func<LayerSettings, Sourced<T>?> pick) =>
        ordered.Select(pick).FirstOrDefault(v => v is not null);

    private static string Resolve(string path, RuleOrigin origin, string project, string home)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal)) return PathText.ExpandHome(path, home);
        if (Path.IsPathRooted(path)) return Path.GetFullPath(path);
        // A setting read from a file (never from a flag, whose origin is not a path) is relative to that file.
        var baseDir = origin.Location.Line > 0 && Path.IsPathRooted(origin.Location.File)
            ? Path.GetDirectoryName(Path.GetFullPath(origin.Location.File))!
            : project;
        // Directories in .orchestrator/settings*.json are relative to the project, as Claude Code's are.
        if (Path.GetFileName(baseDir) == ".orchestrator") baseDir = Path.GetDirectoryName(baseDir)!;
        return Path.GetFullPath(Path.Combine(baseDir, path));
    }

    /// <summary>
    /// A digest of everything the snapshot was built from (the workspace, home and data directories, each source's
    /// path and content digest, the flags): the same version means the same policy, in any workspace, across restarts.
    /// </summary>
    private static string Version(IEnumerable<LayerSettings> layers, PolicyLoadOptions options, string project, IEnumerable<string> dataDirectories)
    {
        var text = new StringBuilder();
        text.Append(project).Append('|').Append(options.HomeDirectory).Append('|').AppendJoin(':', dataDirectories).Append('\n');
        foreach (var l in layers) text.Append(l.Layer).Append('|').Append(l.Source).Append('|').Append(l.Digest).Append('\n');
        foreach (var r in options.DenyRules.Concat(options.AskRules).Concat(options.AllowRules)) text.Append(r).Append('\n');
        text.Append(options.Mode).Append('|').Append(options.ApprovalPolicy).Append('|').Append(options.Network);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
