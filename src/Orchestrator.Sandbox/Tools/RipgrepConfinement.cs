using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// The sandbox ripgrep runs in: the one Bash runs in (<paramref name="Sandbox"/>), under the call's profile made
/// read-only with the network off, so the policy's hidden reads are covered before ripgrep starts and it never opens a
/// protected file (its output is still filtered, as a second line). When the sandbox cannot apply that profile here,
/// Grep runs on the .NET fallback, which never opens a hidden path, rather than run ripgrep unconfined.
/// </summary>
public sealed record RipgrepConfinement(ICommandSandbox Sandbox, SandboxProfile CallProfile)
{
    public SandboxProfile Profile { get; } = CallProfile with { Mode = SandboxMode.ReadOnly, Network = NetworkAccess.Off };

    public bool CanRun => Sandbox.Plan(Profile).CanRun;
}
