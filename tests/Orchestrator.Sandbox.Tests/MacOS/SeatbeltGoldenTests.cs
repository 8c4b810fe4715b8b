using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.MacOS;
using Orchestrator.Sandbox.Tests.Golden;

namespace Orchestrator.Sandbox.Tests.MacOS;

public sealed class SeatbeltGoldenTests
{
    private const string Tmp = "/private/var/folders/zz/T/orchestrator-sbx-1";

    private static readonly CommandRequest GitStatus = new("/usr/bin/git", ["status", "--short"], "/Users/dev/project");

    public static TheoryData<string> Cases => new(Profiles.Keys.Order(StringComparer.Ordinal));

    private static readonly Dictionary<string, (SandboxProfile Profile, CommandRequest Request)> Profiles = new()
    {
        ["read-only"] = (new SandboxProfile { Mode = SandboxMode.ReadOnly }, GitStatus),
        ["read-only-ignores-writable-roots"] = (new SandboxProfile
        {
            Mode = SandboxMode.ReadOnly,
            WritableRoots = ["/Users/dev/project"],
            ProtectedPaths = ["/Users/dev/project/.git"],
        }, GitStatus),
        ["workspace-write-two-roots-protected"] = (new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            WritableRoots = ["/Users/dev/project", "/tmp/build-cache"],
            ProtectedPaths = ["/Users/dev/project/.git", "/Users/dev/project/.codex", "/Users/dev/project/sub/module/.git"],
        }, new CommandRequest("/bin/sh", ["-c", "make test > /dev/null"], "/Users/dev/project")),
        ["network-on"] = (new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            Network = NetworkAccess.On,
            WritableRoots = ["/Users/dev/project"],
        }, new CommandRequest("/usr/local/bin/npm", ["install"], "/Users/dev/project")),
        ["hidden-paths"] = (new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            WritableRoots = ["/Users/dev/project"],
            HiddenPaths = ["/Users/dev/.ssh", "/Users/dev/.aws/credentials", "/Users/dev/project/secrets/.env"],
        }, new CommandRequest("/bin/cat", ["/Users/dev/.ssh/id_ed25519"], "/Users/dev/project")),
        ["quoting-and-unicode"] = (new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            Network = NetworkAccess.Ask,
            WritableRoots = ["/Users/dev/My \"Quoted\" (project) ; rm -rf", "/var/tmp/caché/日本語"],
            ProtectedPaths = ["/Users/dev/My \"Quoted\" (project) ; rm -rf/.git"],
            HiddenPaths = ["/Users/dev/Ünïcödé \\ back\\slash"],
        }, new CommandRequest("/usr/bin/printf", ["%s\n", "it's \"quoted\"", "$(whoami)"], "/Users/dev")),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Profile_text_and_argv_match_the_golden_files(string name)
    {
        var (profile, request) = Profiles[name];

        var plan = SeatbeltLaunchPlanBuilder.Build(profile, request, Tmp);

        Assert.NotNull(plan.Policy);
        GoldenFile.AssertMatches($"macos/{name}.sbpl", plan.Policy.ProfileText);
        GoldenFile.AssertMatches($"macos/{name}.argv", RenderArgv(plan));
    }

    /// <summary>One JSON string per line; the profile argument (checked by the .sbpl file) is replaced by a marker.</summary>
    private static string RenderArgv(SeatbeltLaunchPlan plan)
    {
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var text = new StringBuilder();
        var argv = plan.Argv;
        for (var i = 0; i < argv.Length; i++)
        {
            var arg = i > 0 && argv[i - 1] == "-p" && argv[i] == plan.Policy!.ProfileText ? "<profile text: see .sbpl>" : argv[i];
            text.Append(JsonSerializer.Serialize(arg, options)).Append('\n');
        }
        return text.ToString();
    }
}
