using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// What happens to a command no rule decided, by its class and the mode (README "Decision table").
/// <c>untrusted</c>: only read-only runs unasked. <c>on-request</c>/<c>never</c>: what the sandbox contains runs unasked;
/// what needs more than the sandbox gives (writes in read-only mode, network when it is off, anything destructive) asks.
/// Without a sandbox (decide-only callers, danger-full-access) unknown programs and unlisted writes ask.
/// </summary>
internal static class DecisionTable
{
    public static (Decision Decision, ReasonClass Reason) ForRisk(CommandRisk risk, bool escapeHatch, EffectiveMode mode, bool writePathsKnown)
    {
        var reason = escapeHatch ? ReasonClass.EscapeHatch : Class(risk);
        if (risk == CommandRisk.ReadOnly && !escapeHatch) return (Decision.Allow, reason);
        if (risk == CommandRisk.WorkspaceWrite && mode.Sandbox == SandboxMode.ReadOnly) return (Decision.Ask, ReasonClass.ModeForbidsWrite);
        if (mode.Approval == ApprovalPolicy.Untrusted) return (Decision.Ask, reason);
        var contained = mode.Sandboxed && mode.Sandbox != SandboxMode.DangerFullAccess;
        var decision = risk switch
        {
            CommandRisk.ReadOnly => Decision.Allow,
            CommandRisk.WorkspaceWrite => contained || mode.Sandbox == SandboxMode.DangerFullAccess || writePathsKnown ? Decision.Allow : Decision.Ask,
            CommandRisk.Network => mode.Network == NetworkAccess.On ? Decision.Allow : Decision.Ask,
            CommandRisk.Unknown => contained || mode.Sandbox == SandboxMode.DangerFullAccess ? Decision.Allow : Decision.Ask,
            _ => Decision.Ask,
        };
        return (decision, reason);
    }

    public static ReasonClass Class(CommandRisk risk) => risk switch
    {
        CommandRisk.ReadOnly => ReasonClass.ReadOnly,
        CommandRisk.WorkspaceWrite => ReasonClass.WorkspaceWrite,
        CommandRisk.Network => ReasonClass.Network,
        CommandRisk.Destructive => ReasonClass.Destructive,
        _ => ReasonClass.UnknownProgram,
    };
}
