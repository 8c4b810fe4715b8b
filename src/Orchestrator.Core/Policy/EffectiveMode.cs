using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Policy;

/// <summary>The mode a call was judged under.</summary>
public sealed record EffectiveMode(SandboxMode Sandbox, ApprovalPolicy Approval, NetworkAccess Network, bool AcceptEdits, bool Sandboxed)
{
    public override string ToString() =>
        $"{Sandbox.Name()}, approval {Approval.Name()}, network {Network.Name()}" +
        (AcceptEdits ? ", accept edits" : "") + (Sandboxed ? "" : ", not sandboxed");
}
