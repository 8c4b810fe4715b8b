using System.Security.Cryptography;
using System.Text;
using Orchestrator.Sandbox;

namespace Orchestrator.Load;

/// <summary>
/// A sandbox that "runs" every command at once with exit 0 without a process: the pipeline's cost of a run. With
/// <paramref name="echo"/> the run's stdout is one line naming the command, so its recorded output can be checked later.
/// </summary>
public sealed class InstantSandbox(bool echo = false) : ICommandSandbox
{
    private static readonly SandboxLayers Layers = new("linux-instant", ["none"], []);

    public string Kind => "linux-instant"; // routed to the Linux worker, which runs it in-process

    public SandboxPlan Plan(SandboxProfile profile) => new(true, Layers, null);

    public Task<CommandResult> RunAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken = default) =>
        Task.FromResult(new CommandResult(0, false, null, TimeSpan.Zero,
            echo ? Captured($"ran: {request.Program} {string.Join(' ', request.Arguments)}\n") : CapturedOutput.Empty,
            CapturedOutput.Empty, Layers));

    private static CapturedOutput Captured(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new CapturedOutput(bytes, [], bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
