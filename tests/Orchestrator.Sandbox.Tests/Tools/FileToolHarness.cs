using System.Collections.Immutable;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>
/// A real workspace directory (with a canary directory outside it) and the policy, profile and limits the file tools
/// run under there, as the pipeline would give them: <see cref="RunAsync"/> validates and runs one call.
/// </summary>
public sealed class FileToolHarness : IDisposable
{
    /// <param name="hideOutside">Deny reading the directory outside the workspace (its canary must never be read).</param>
    public FileToolHarness(string[]? deny = null, string[]? allow = null, bool hideOutside = false)
    {
        Root = Directory.CreateTempSubdirectory("orchestrator-filetools-").FullName;
        Workspace = Path.Combine(Root, "ws");
        Outside = Path.Combine(Root, "outside");
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Workspace);
        Directory.CreateDirectory(Outside);
        Directory.CreateDirectory(Home);
        Canary = Path.Combine(Outside, "canary.txt");
        File.WriteAllText(Canary, CanaryText);
        Policy = PolicyLoader.Load(new PolicyLoadOptions(Workspace)
        {
            HomeDirectory = Home,
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            DenyRules = [.. deny ?? [], .. hideOutside ? new[] { $"Read(/{Path.Combine(Root, "outside")}/**)" } : []],
            AllowRules = allow ?? [],
        });
    }

    public const string CanaryText = "canary: never read, never written\n";

    /// <summary>The platform sandbox, as the planner hands it to executors (Grep runs ripgrep in it).</summary>
    public static ICommandSandbox Sandbox { get; } = PlatformSandbox.ForThisMachine();

    public string Root { get; }
    public string Workspace { get; }
    public string Outside { get; }
    public string Home { get; }
    public string Canary { get; }
    public PolicySnapshot Policy { get; }
    public ToolLimits Limits { get; set; } = ToolLimits.Default;

    public string InWorkspace(string relative) => Path.Combine(Workspace, relative);

    public static ToolCall Call(string tool, params (string Key, object Value)[] input) =>
        new(new CallId(Guid.NewGuid().ToString("n")), tool,
            input.ToImmutableDictionary(i => i.Key, i => i.Value switch
            {
                string text => text,
                bool flag => flag ? "true" : "false",
                _ => JsonSerializer.Serialize(i.Value),
            }),
            "/", new AgentId("agent"), new SessionId("session"));

    /// <summary>What judging <paramref name="call"/> observes on the filesystem now (the facts its verdict records).</summary>
    public FileFacts Judge(ToolCall call) => new PolicyEvaluator(Policy).Gather(call);

    /// <summary>
    /// Validates and runs <paramref name="call"/> as the pipeline would, held to <paramref name="judged"/> (else to the
    /// facts of judging it just now); a validation problem comes back as a failed outcome.
    /// </summary>
    /// <param name="network">The network access the decision left (WebFetch reads it; the profile keeps the network off).</param>
    public async Task<ToolOutcome> RunAsync(ToolCall call, SandboxMode mode = SandboxMode.WorkspaceWrite, FileFacts? judged = null,
        NetworkAccess network = NetworkAccess.Off)
    {
        var executor = ToolExecutors.Standard.For(call.ToolName) ?? throw new InvalidOperationException($"no executor for {call.ToolName}");
        if (executor.Validate(call, Limits) is { } problem) return ToolOutcome.Failed("invalid: " + problem);
        var profile = SandboxProfileFactory.FromPolicy(Policy, mode, NetworkAccess.Off);
        return await executor.RunAsync(new ToolRun(call, profile, Policy, network, Limits, judged ?? Judge(call)) { Sandbox = Sandbox }, CancellationToken.None);
    }

    public Task<ToolOutcome> ReadAsync(string path, long? offset = null, long? limit = null)
    {
        var input = new List<(string, object)> { ("file_path", path) };
        if (offset is { } o) input.Add(("offset", o));
        if (limit is { } l) input.Add(("limit", l));
        return RunAsync(Call(ToolNames.Read, [.. input]));
    }

    public Task<ToolOutcome> WriteAsync(string path, string content, SandboxMode mode = SandboxMode.WorkspaceWrite) =>
        RunAsync(Call(ToolNames.Write, ("file_path", path), ("content", content)), mode);

    public Task<ToolOutcome> EditAsync(string path, string oldString, string newString, bool replaceAll = false) =>
        RunAsync(Call(ToolNames.Edit, ("file_path", path), ("old_string", oldString), ("new_string", newString), ("replace_all", replaceAll)));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
