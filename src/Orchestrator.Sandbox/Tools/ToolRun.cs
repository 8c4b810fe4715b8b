using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// One structured call to execute: its real input (<see cref="Call"/>), the sandbox profile a Bash command of the same
/// call would run under (<see cref="Profile"/>: mode, writable roots, protected and hidden paths — the executor applies
/// exactly these), the policy snapshot that judged it (its rules, e.g. WebFetch domains) and the network access the
/// decision left (<see cref="Network"/>, before "ask" was settled).
/// </summary>
public sealed record ToolRun(ToolCall Call, SandboxProfile Profile, PolicySnapshot Policy, NetworkAccess Network, ToolLimits Limits);
