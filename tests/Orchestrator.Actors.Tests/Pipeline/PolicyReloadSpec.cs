using System.Collections.Immutable;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A <see cref="WorkspacePipelineSpec"/> about the policy stage reading the workspace's own settings from disk (decide only):
/// the project settings a spec starts with are written before the hosted system starts.
/// </summary>
public abstract class PolicyReloadSpec : WorkspacePipelineSpec
{
    protected PolicyReloadSpec(ITestOutputHelper output, string? initialSettings) : base(output, "orchestrator-policy-reload-")
    {
        if (initialSettings is not null) WriteSettings(initialSettings);
    }

    protected string Settings => Path.Combine(Workspace.FullName, ".orchestrator", "settings.json");

    protected override PolicyCatalog Policies => new(new PolicyLoadOptions(Workspace.FullName)
    {
        HomeDirectory = Path.Combine(Workspace.FullName, "home"),
        ManagedSettingsPath = null,
        UserSettingsPath = null,
    });

    protected override PipelineOptions Pipeline => PipelineOptions.Default with { Execute = false };

    protected ToolCall Call(string command) =>
        new(new CallId(Guid.NewGuid().ToString("n")), ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command),
            Workspace.FullName, new AgentId("agent-1"), new SessionId("reload"));

    protected void WriteSettings(string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Settings)!);
        File.WriteAllText(Settings, json);
    }

    /// <summary>The next <see cref="PolicyLoaded"/> the probe sees that is <paramref name="wanted"/> (others are skipped).</summary>
    protected static async Task<PolicyLoaded> AwaitLoaded(Akka.TestKit.TestProbe probe, Func<PolicyLoaded, bool> wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var loaded = await probe.ExpectMsgAsync<PolicyLoaded>(deadline - DateTime.UtcNow);
            if (wanted(loaded)) return loaded;
        }
    }
}
