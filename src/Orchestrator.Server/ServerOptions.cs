using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Policy;

namespace Orchestrator.Server;

/// <summary>How <see cref="OrchestratorServer"/> is started.</summary>
/// <param name="Policy">Where the policy layers are; loaded once at start.</param>
public sealed record ServerOptions(PolicyLoadOptions Policy)
{
    public const int DefaultPort = 8787;

    /// <summary>
    /// Directories whose workspaces this server serves (<c>serve --root</c>): each call is judged by its own workspace's
    /// policy and a call outside every root is refused. Empty: one workspace, <see cref="PolicyLoadOptions.ProjectDirectory"/>.
    /// </summary>
    public IReadOnlyList<string> Roots { get; init; } = [];

    /// <summary>Loopback port; 0 picks a free one (see <see cref="OrchestratorServer.BoundUri"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The address to listen on; anything but loopback needs tokens (refused without).</summary>
    public System.Net.IPAddress BindAddress { get; init; } = System.Net.IPAddress.Loopback;

    /// <summary>Host names accepted besides the loopback ones (<c>serve --allowed-host</c>); others get 421.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>The data directory: the SQLite journal, keys, tokens, the high-water mark (default: outside every workspace).</summary>
    public string DataDirectory { get; init; } = PolicyLoadOptions.DefaultDataDirectory();

    /// <summary>Open a journal behind its high-water mark anyway, recording the acceptance (<c>--accept-rewound-journal</c>).</summary>
    public bool AcceptRewoundJournal { get; init; }

    /// <summary>The journal; null is SQLite under <see cref="DataDirectory"/>.</summary>
    public PersistenceOptions? Persistence { get; init; }

    /// <summary>Answers approval requests automatically; null leaves them to operators.</summary>
    public AutomaticApprover? Approver { get; init; }

    /// <summary>How long operators have to answer an approval before the call is denied.</summary>
    public TimeSpan ApprovalTimeout { get; init; } = ApprovalRequestSpec.DefaultTimeout;

    /// <summary>Where an unanswered approval goes at its deadline (<c>serve --escalate-to</c>); null denies it.</summary>
    public EscalationPolicy? Escalation { get; init; }

    /// <summary>The webhook channel (<c>serve --approval-webhook</c>); null sends nothing.</summary>
    public ApprovalWebhookOptions? ApprovalWebhooks { get; init; }

    /// <summary>Largest request body accepted (413 above it).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Submissions waiting for a worker, all agents together (429 above it).</summary>
    public int GlobalCapacity { get; init; } = 1024;

    /// <summary>Submissions waiting for a worker, per agent (429 above it).</summary>
    public int PerAgentCapacity { get; init; } = 64;

    /// <summary>Executions running at once, all agents together (beyond it calls wait, recorded as queued).</summary>
    public int MaxRuns { get; init; } = 4 * Environment.ProcessorCount;

    /// <summary>Executions running at once for one agent (beyond it its calls wait, recorded as queued).</summary>
    public int MaxRunsPerAgent { get; init; } = 8;

    /// <summary>Submissions the pipeline handles at once, all agents together (the rest wait in the fair queue).</summary>
    public int Workers { get; init; } = 64;

    /// <summary>Submissions the pipeline handles at once for one agent, so a slow or stuck agent holds only its share.</summary>
    public int PerAgentWorkers { get; init; } = 8;

    /// <summary>Expected submissions per second, used only to compute Retry-After.</summary>
    public double DrainPerSecond { get; init; } = 200;

    /// <summary>
    /// Cores a what-if replay (<c>POST /v1/replay</c>, one at a time) judges on, so it leaves the others to live decisions
    /// (<c>serve --replay-cores</c>; default half the cores, at least 1).
    /// </summary>
    public int ReplayCores { get; init; } = DefaultReplayCores;

    public static int DefaultReplayCores => Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How long to wait for the pipeline to answer.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// MCP servers fronted by the MCP gateway (<c>--upstream NAME=COMMAND…</c>): their tools are offered at <c>/mcp</c>
    /// (and by <c>orchestrator mcp</c>) as <c>mcp__NAME__TOOL</c>, each call one call through the pipeline.
    /// </summary>
    public IReadOnlyList<Mcp.Gateway.McpUpstreamSpec> McpUpstreams { get; init; } = [];

    /// <summary>How long an MCP <c>tools/call</c> follows its call (through an approval) before answering "pending approval".</summary>
    public TimeSpan McpWait { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary>
    /// Bytes kept from the start and from the end of each output stream of a run, and recorded with its end
    /// (<c>serve --max-output</c>); null: <see cref="Actors.Execution.ExecutionPlanner.BashOutput"/> (32 KiB each).
    /// </summary>
    public int? MaxOutputBytes { get; init; }

    /// <summary>A session snapshots its state every this many events (<c>serve --snapshot-every</c>); null never snapshots.</summary>
    public int? SnapshotEvery { get; init; } = Actors.Pipeline.PipelineOptions.Default.SnapshotEvery;

    /// <summary>The bounds of structured calls (<c>serve --tool-timeout --read-max-bytes …</c>); null: <see cref="Sandbox.Tools.ToolLimits.Default"/>.</summary>
    public Sandbox.Tools.ToolLimits? ToolLimits { get; init; }

    /// <summary>Session recovery at start waits for this (tests hold it to observe a recovering server). Null: no wait.</summary>
    public Task? RecoveryGate { get; init; }

    /// <summary>
    /// A candidate settings file every live call is also judged against, never enforced (<c>serve --shadow-policy</c>);
    /// disagreements are recorded and summarised by <c>GET /v1/shadow</c>. Null: no shadow.
    /// </summary>
    public string? ShadowPolicy { get; init; }

    /// <summary>How often the shadow looks for newly recorded decisions.</summary>
    public TimeSpan ShadowInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Workers wait for this before taking submissions; tests hold it to fill the queue. Null: no wait.</summary>
    public Task? IngressGate { get; init; }

    public PipelineOptions PipelineOptions() =>
        Actors.Pipeline.PipelineOptions.Default with
        {
            Approver = Approver,
            ApprovalTimeout = ApprovalTimeout,
            Escalation = Escalation,
            MaxRuns = MaxRuns,
            MaxRunsPerAgent = MaxRunsPerAgent,
            RecoveryGate = RecoveryGate,
            SnapshotEvery = SnapshotEvery,
            RunLimits = MaxOutputBytes is null && ToolLimits is null ? null : new Actors.Execution.RunLimits
            {
                Output = MaxOutputBytes is { } kept ? new Sandbox.OutputLimits(kept, kept) : null,
                Tools = ToolLimits,
            },
            // What the sandbox takes out of a workspace goes to DATA/quarantine, hidden from commands with the rest of DATA.
            SandboxFor = _ => Sandbox.PlatformSandbox.ForThisMachine(DataDirectory),
        };
}
