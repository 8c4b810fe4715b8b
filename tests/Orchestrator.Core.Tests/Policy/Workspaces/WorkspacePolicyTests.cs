using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Sources;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Core.Tests.Policy.Workspaces;

public sealed class WorkspacePolicyTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly string _root = Directory.CreateTempSubdirectory("orchestrator-workspace-policy-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private PolicyLoadOptions Options(string project) => new(Path.Combine(_root, project))
    {
        HomeDirectory = Path.Combine(_root, "home"),
        ManagedSettingsPath = Path.Combine(_root, "etc", "managed-settings.json"),
        UserSettingsPath = Path.Combine(_root, "home", ".config", "orchestrator", "settings.json"),
        DataDirectories = [Path.Combine(_root, "data")],
    };

    private static readonly string[] Commands =
        ["ls -la", "npm run build", "npm test", "git push origin main", "rm -rf build", "curl https://example.com", "make deploy", "cat secrets.txt"];

    [Fact]
    public void A_policy_rebuilt_from_its_recorded_PolicyLoaded_judges_like_the_original_with_the_files_gone()
    {
        Write("etc/managed-settings.json", """{"permissions":{"deny":["Bash(make deploy)"]}}""");
        Write("home/.config/orchestrator/settings.json", """{"permissions":{"allow":["Bash(npm test)"]}}""");
        Write("ws/.orchestrator/settings.json", """{"permissions":{"allow":["Bash(npm run build)"],"deny":["Read(./secrets.txt)"]},"orchestrator":{"rules":["extra/team.rules"]}}""");
        Write("ws/.orchestrator/extra/team.rules", """prefix_rule(pattern = ["git", "push"], decision = "forbidden")""");
        Write("ws/.orchestrator/settings.local.json", """{"permissions":{"ask":["Bash(rm:*)"]}}""");
        Write("ws/.orchestrator/rules/net.rules", """prefix_rule(pattern = ["curl"], decision = "prompt")""");
        var original = WorkspacePolicy.Load(Options("ws") with { AllowRules = ["Bash(ls:*)"] }, At);
        Assert.False(original.Snapshot.FailedClosed, string.Join("; ", original.Snapshot.Errors));

        var recorded = JsonSerializer.Deserialize<PolicyLoaded>(JsonSerializer.Serialize(original.Loaded, Json), Json)!;
        Directory.Delete(_root, recursive: true);
        var rebuilt = WorkspacePolicy.Rebuild(recorded);

        Assert.Equal(original.Version, rebuilt.Version);
        Assert.Equal(original.Snapshot.AllRules.Select(r => r.ToString()), rebuilt.Snapshot.AllRules.Select(r => r.ToString()));
        foreach (var command in Commands)
        {
            var call = ToolCall.Bash(command, original.Workspace);
            var before = original.Evaluator.Evaluate(call);
            var after = rebuilt.Evaluator.Evaluate(call);
            Assert.Equal((before.Decision, before.ReasonClass, before.Reason, before.PolicyVersion), (after.Decision, after.ReasonClass, after.Reason, after.PolicyVersion));
        }
        Assert.Contains(recorded.Sources, s => s.Layer == SettingsLayer.Project && s.Content!.Contains("npm run build", StringComparison.Ordinal));
        Assert.Contains(recorded.Sources, s => s.Path.EndsWith("team.rules", StringComparison.Ordinal) && s.Kind == PolicyFileKind.File);
    }

    [Fact]
    public void A_file_that_is_not_UTF_8_is_recorded_byte_for_byte_and_the_rebuilt_policy_fails_closed_at_the_same_place()
    {
        var path = Path.Combine(_root, "ws", ".orchestrator", "settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. "{\"permissions\":{\"allow\":[\"Bash(ls)\"]}}\n"u8, 0xFF, 0xFE]);
        var original = WorkspacePolicy.Load(Options("ws"), At);
        var rebuilt = WorkspacePolicy.Rebuild(original.Loaded);

        Assert.True(original.Snapshot.FailedClosed);
        Assert.Contains(original.Loaded.Sources, s => s.Path == path && s.ContentIsBase64);
        Assert.Equal(original.Snapshot.Errors, rebuilt.Snapshot.Errors);
        Assert.Equal(original.Version, rebuilt.Version);
    }

    [Fact]
    public void The_same_files_in_two_workspaces_are_two_versions_and_loading_again_is_the_same_version()
    {
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        Directory.CreateDirectory(Path.Combine(_root, "b"));

        var a = WorkspacePolicy.Load(Options("a"), At);
        var b = WorkspacePolicy.Load(Options("b"), At);

        Assert.NotEqual(a.Version, b.Version);
        Assert.Equal(a.Version, WorkspacePolicy.Load(Options("a"), At.AddHours(1)).Version);
        Assert.Equal(a.Version, a.Loaded.Version);
    }

    [Fact]
    public void Each_workspace_in_the_catalog_is_judged_by_its_own_project_layers_and_shares_the_user_layer()
    {
        Write("home/.config/orchestrator/settings.json", """{"permissions":{"deny":["Bash(make deploy)"]}}""");
        Write("a/.orchestrator/settings.json", """{"permissions":{"deny":["Bash(npm run build)"]}}""");
        Write("b/.orchestrator/settings.json", """{"permissions":{"allow":["Bash(npm run build)"]}}""");
        var catalog = new PolicyCatalog(Options("a"));

        var inA = catalog.For(Path.Combine(_root, "a")).Evaluator.Evaluate(ToolCall.Bash("npm run build", Path.Combine(_root, "a")));
        var inB = catalog.For(Path.Combine(_root, "b")).Evaluator.Evaluate(ToolCall.Bash("npm run build", Path.Combine(_root, "b")));
        var deployInB = catalog.For(Path.Combine(_root, "b") + "/").Evaluator.Evaluate(ToolCall.Bash("make deploy", Path.Combine(_root, "b")));

        Assert.Equal(Decision.Deny, inA.Decision);
        Assert.Equal(Decision.Allow, inB.Decision);
        Assert.Equal(Decision.Deny, deployInB.Decision);
        Assert.Same(catalog.For(Path.Combine(_root, "b")), catalog.For(Path.Combine(_root, "b", ".")));
        Assert.Equal(2, catalog.Loaded.Count);
    }

    [Fact]
    public void Refresh_reloads_a_changed_workspace_fails_closed_on_a_broken_file_with_its_position_and_recovers_when_fixed()
    {
        var settings = Write("ws/.orchestrator/settings.json", """{"permissions":{"allow":["Bash(npm run build)"]}}""");
        var catalog = new PolicyCatalog(Options("ws"));
        var call = ToolCall.Bash("npm run build", catalog.DefaultWorkspace);
        var first = catalog.Default;
        Assert.Equal(Decision.Allow, first.Evaluator.Evaluate(call).Decision);
        Assert.Empty(catalog.Refresh());

        File.WriteAllText(settings, """{"permissions":{"allow":["Bash(npm run build)"]}}""");
        Assert.Empty(catalog.Refresh());

        File.WriteAllText(settings, "{\"permissions\":{\"deny\":[\"Bash(npm run build)\"]}}");
        var denied = Assert.Single(catalog.Refresh());
        Assert.NotEqual(first.Version, denied.Version);
        Assert.Equal(Decision.Deny, catalog.Default.Evaluator.Evaluate(call).Decision);

        File.WriteAllText(settings, "{\n  \"permissions\": {\"allow\": [\"Bash(npm run build)\"],}\n}");
        var broken = Assert.Single(catalog.Refresh());
        var error = Assert.Single(broken.Snapshot.Errors);
        Assert.Equal(settings, error.Location.File);
        Assert.Equal(2, error.Location.Line);
        Assert.True(error.Location.Column > 0);
        Assert.Equal(Decision.Deny, broken.Evaluator.Evaluate(call).Decision);
        Assert.True(broken.Loaded.FailedClosed);

        File.WriteAllText(settings, """{"permissions":{"allow":["Bash(npm run build)"]}}""");
        var fixedAgain = Assert.Single(catalog.Refresh());
        Assert.Equal(first.Version, fixedAgain.Version);
        Assert.Equal(Decision.Allow, catalog.Default.Evaluator.Evaluate(call).Decision);
    }

    [Fact]
    public void A_settings_file_or_rules_file_that_appears_later_is_seen_by_refresh()
    {
        Directory.CreateDirectory(Path.Combine(_root, "ws"));
        var catalog = new PolicyCatalog(Options("ws"));
        var call = ToolCall.Bash("git push origin main", catalog.DefaultWorkspace);
        Assert.NotEqual(Decision.Deny, catalog.Default.Evaluator.Evaluate(call).Decision);

        Write("ws/.orchestrator/rules/team.rules", """prefix_rule(pattern = ["git", "push"], decision = "forbidden")""");

        Assert.Single(catalog.Refresh());
        Assert.Equal(Decision.Deny, catalog.Default.Evaluator.Evaluate(call).Decision);
    }

    [Fact]
    public void A_snapshot_built_by_hand_serves_every_workspace_and_is_never_reloaded()
    {
        var snapshot = PolicyLoader.Load(Options("ws") with { DenyRules = ["Bash(ls)"] });
        var catalog = PolicyCatalog.Of(snapshot);

        Assert.Same(catalog.Default, catalog.For("/somewhere/else"));
        Assert.Empty(catalog.Refresh());
        Assert.Equal(snapshot.Version, catalog.Default.Loaded.Version);
    }
}
