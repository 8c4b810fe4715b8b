using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>The mode a call was judged under, as the history stores it (owned here so policy refactors do not change the schema).</summary>
public sealed record RecordedMode(SandboxMode Sandbox, ApprovalPolicy Approval, NetworkAccess Network, bool AcceptEdits, bool Sandboxed)
{
    public static RecordedMode From(EffectiveMode mode) =>
        new(mode.Sandbox, mode.Approval, mode.Network, mode.AcceptEdits, mode.Sandboxed);
}
