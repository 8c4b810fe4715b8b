using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Tests.Golden;
using Orchestrator.Sandbox.Windows;

namespace Orchestrator.Sandbox.Tests.Windows;

public sealed class WindowsLaunchPlanGoldenTests
{
    private const string Sid = "S-1-5-21-1111111111-2222222222-3333333333-4444";
    private const string Temp = @"C:\Users\dev\AppData\Local\Temp\orchestrator-sbx-1";

    private static readonly WindowsSandboxOptions RestrictedToken = new(Sid, Temp)
    {
        BaseEnvironment = ImmutableDictionary<string, string>.Empty
            .Add("Path", @"C:\Windows\System32;C:\Program Files\Git\cmd")
            .Add("SystemRoot", @"C:\Windows")
            .Add("USERPROFILE", @"C:\Users\dev"),
    };

    private static readonly WindowsSandboxOptions AppContainer = RestrictedToken with
    {
        SandboxSid = "S-1-15-2-1111111111-2222222222-3333333333-4444444444-5555555555-6666666666-7777777777",
        AppContainerName = "Orchestrator.Sandbox.project",
    };

    private static readonly CommandRequest GitStatus = new(@"C:\Program Files\Git\cmd\git.exe", ["status", "--short"], @"C:\Users\dev\project");

    public static TheoryData<string> Cases => new(Plans.Keys.Order(StringComparer.Ordinal));

    private static readonly Dictionary<string, (SandboxProfile Profile, CommandRequest Request, WindowsSandboxOptions Options)> Plans = new()
    {
        ["read-only-network-off-refused"] = (new SandboxProfile { Mode = SandboxMode.ReadOnly }, GitStatus, RestrictedToken),
        ["workspace-write-network-on-restricted-token"] = (new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            Network = NetworkAccess.On,
            WritableRoots = [@"C:\Users\dev\project", @"D:\cache\"],
            ProtectedPaths = [@"C:\Users\dev\project\.git", @"C:\Users\dev\project\vendor\lib\.git"],
            Limits = ResourceLimits.Default with { MaxProcesses = 64, MaxMemoryBytes = 2L << 30, CpuSeconds = 600 },
        }, new CommandRequest(@"C:\Program Files\dotnet\dotnet.exe", ["test", "--no-restore"], @"C:\Users\dev\project")
        {
            Environment = ImmutableDictionary<string, string>.Empty.Add("DOTNET_CLI_TELEMETRY_OPTOUT", "1").Add("PATH", @"C:\Program Files\dotnet"),
        }, RestrictedToken),
        ["workspace-write-appcontainer-hidden"] = (new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            WritableRoots = [@"C:\Users\dev\project"],
            ProtectedPaths = [@"C:\Users\dev\project\.git"],
            HiddenPaths = [@"C:\Users\dev\.ssh", @"C:\Users\dev\project\secrets\.env"],
        }, GitStatus, AppContainer),
        ["read-only-appcontainer-network-on"] = (new SandboxProfile
        {
            Mode = SandboxMode.ReadOnly,
            Network = NetworkAccess.On,
            WritableRoots = [@"C:\ignored\in\read-only"],
        }, new CommandRequest("curl.exe", ["-s", "https://example.com/"], @"C:\Users\dev\project"), AppContainer),
        ["danger-full-access"] = (new SandboxProfile { Mode = SandboxMode.DangerFullAccess }, GitStatus, RestrictedToken),
        ["quoting-and-unicode"] = (new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            Network = NetworkAccess.On,
            WritableRoots = [@"C:\Users\dév\My (odd) project; & %x%^\"],
        }, new CommandRequest(@"C:\Tools\échô.exe", ["a b", @"C:\trailing\", @"C:\with space\", "say \"hi\"", @"\\""", "", "日本語"], @"C:\Users\dév")
        {
            Environment = ImmutableDictionary<string, string>.Empty.Add("zeta", "last").Add("Alpha", "first").Add("ÜBER", "ü"),
        }, RestrictedToken),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_matches_the_golden_file(string name)
    {
        var (profile, request, options) = Plans[name];

        var plan = WindowsLaunchPlanBuilder.Build(profile, request, options);

        GoldenFile.AssertMatches($"windows/{name}.json", WindowsLaunchPlanJson.Serialize(plan));
    }
}
