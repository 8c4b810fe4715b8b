using System.Security.Cryptography;
using Orchestrator.Sandbox;

namespace Orchestrator.LoadBench;

/// <summary>A sandbox that "runs" every command at once with exit 0 and no output: the pipeline's cost of a run without a process.</summary>
public sealed class InstantSandbox : ICommandSandbox
{
    private static readonly SandboxLayers Layers = new("linux-instant", ["none"], []);
    private static readonly CapturedOutput Nothing = new([], [], 0, Convert.ToHexStringLower(SHA256.HashData([])));

    public string Kind => "linux-instant"; // routed to the Linux worker, which runs it in-process

    public SandboxPlan Plan(SandboxProfile profile) => new(true, Layers, null);

    public Task<CommandResult> RunAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken = default) =>
        Task.FromResult(new CommandResult(0, false, null, TimeSpan.Zero, Nothing, Nothing, Layers));
}
