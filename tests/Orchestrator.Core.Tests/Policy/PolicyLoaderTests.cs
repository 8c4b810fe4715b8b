using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.Policy;

public sealed class PolicyLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orchestrator-loader-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private PolicyLoadOptions Options(params string[] settingsFiles) => new(Path.Combine(_root, "project"))
    {
        HomeDirectory = Path.Combine(_root, "home"),
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        SettingsFiles = settingsFiles,
    };

    [Fact]
    public void Explicit_flags_beat_a_settings_file_of_the_same_layer_and_the_file_values_are_named_as_overridden()
    {
        Directory.CreateDirectory(Path.Combine(_root, "project"));
        var file = Write("cli.json", "{\n  \"orchestrator\": {\n    \"mode\": \"workspace-write\",\n    \"approvalPolicy\": \"on-request\",\n    \"network\": \"on\"\n  }\n}");
        var snapshot = PolicyLoader.Load(Options(file) with { Mode = "read-only", Network = "off" });

        Assert.Empty(snapshot.Errors);
        Assert.Equal(SandboxMode.ReadOnly, snapshot.SandboxMode);
        Assert.Equal(NetworkAccess.Off, snapshot.NetworkAccess);
        Assert.Equal("--mode", PolicyLoader.FlagName(snapshot.Sandbox!.Origin.Location));
        Assert.Equal("--network", PolicyLoader.FlagName(snapshot.Network!.Origin.Location));
        // No flag sets the approval policy, so the file's value stands, with its file:line:column.
        Assert.Equal(ApprovalPolicy.OnRequest, snapshot.ApprovalPolicy);
        Assert.Equal(new SourceLocation(file, 4, 23), snapshot.Approval!.Origin.Location);
        Assert.Contains(snapshot.Warnings, w => w.Location == new SourceLocation(file, 3, 13) && w.Message == "sandbox mode workspace-write is overridden by the flag --mode (read-only)");
        Assert.Contains(snapshot.Warnings, w => w.Location == new SourceLocation(file, 5, 16) && w.Message == "network on is overridden by the flag --network (off)");
    }

    [Fact]
    public void Without_flags_the_settings_file_values_apply()
    {
        Directory.CreateDirectory(Path.Combine(_root, "project"));
        var file = Write("cli.json", """{"orchestrator":{"mode":"workspace-write","network":"on"}}""");
        var snapshot = PolicyLoader.Load(Options(file));
        Assert.Equal(NetworkAccess.On, snapshot.NetworkAccess);
        Assert.Equal(file, snapshot.Network!.Origin.Location.File);
        Assert.Empty(snapshot.Warnings);
    }

    [Fact]
    public void Disable_auto_mode_in_any_layer_refuses_auto_mode_named_by_a_file_or_a_flag()
    {
        var projectSettings = Write("project/.orchestrator/settings.json", """{"permissions":{"defaultMode":"auto"}}""");
        var user = Write("home/.config/orchestrator/settings.json", """{"permissions":{"disableAutoMode":"disable"}}""");
        var options = Options() with { UserSettingsPath = user };

        var fromFile = PolicyLoader.Load(options);
        Assert.Empty(fromFile.Errors);
        Assert.Equal((SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted, false), (fromFile.SandboxMode, fromFile.ApprovalPolicy, fromFile.AutoAcceptEdits));
        var warning = Assert.Single(fromFile.Warnings);
        Assert.Equal(new SourceLocation(projectSettings, 1, 31), warning.Location);
        Assert.StartsWith("auto mode is disabled by disableAutoMode (user ", warning.Message);

        var fromFlag = PolicyLoader.Load(options with { Mode = "auto" });
        Assert.Equal(ApprovalPolicy.Untrusted, fromFlag.ApprovalPolicy);
        Assert.Contains(fromFlag.Warnings, w => w.Location.File == "<command line> --mode");

        Assert.Equal(ApprovalPolicy.OnRequest, PolicyLoader.Load(Options() with { Mode = "auto" }).ApprovalPolicy);
    }
}
