namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>What the generated filter permits. With <see cref="NetworkAllowed"/> false only AF_UNIX sockets can be created.</summary>
public sealed record SeccompOptions(bool NetworkAllowed);
