using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// One structured call to execute: its real input (<see cref="Call"/>), the sandbox profile a Bash command of the same
/// call would run under (<see cref="Profile"/>: mode, writable roots, protected and hidden paths — the executor applies
/// exactly these), the policy snapshot that judged it (its rules, e.g. WebFetch domains) and the network access the
/// decision left (<see cref="Network"/>, before "ask" was settled). <see cref="JudgedFacts"/> is what the verdict that let
/// the call run observed on the filesystem: a path must resolve now as it did then (<see cref="Files.FileAccessCheck"/>),
/// so a link changed between the judgment and the run cannot lead the call to a path it was not judged on (null: a call
/// judged before facts were recorded, held to the profile alone).
/// </summary>
public sealed record ToolRun(ToolCall Call, SandboxProfile Profile, PolicySnapshot Policy, NetworkAccess Network, ToolLimits Limits,
    FileFacts? JudgedFacts = null)
{
    /// <summary>The sandbox a Bash command of the call would run in: an executor that starts a program (Grep's ripgrep)
    /// runs it there, read-only; null: none is available, and such an executor does without the program.</summary>
    public ICommandSandbox? Sandbox { get; init; }
}
