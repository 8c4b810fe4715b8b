namespace Orchestrator.Sandbox;

/// <summary>Runs one command under one profile. Implementations exist per platform; all refuse rather than run unconfined.</summary>
public interface ICommandSandbox
{
    string Kind { get; }

    /// <summary>The layers this sandbox would apply for the profile, or a refusal naming what is missing.</summary>
    SandboxPlan Plan(SandboxProfile profile);

    /// <exception cref="SandboxUnavailableException">The profile's mode needs a layer this machine cannot apply.</exception>
    Task<CommandResult> RunAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken = default);
}

/// <summary>A sandbox's answer to "can you run this profile, and how".</summary>
public sealed record SandboxPlan(bool CanRun, SandboxLayers Layers, string? RefusalReason);
