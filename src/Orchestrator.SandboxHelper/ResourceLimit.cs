namespace Orchestrator.SandboxHelper;

/// <summary>One <c>--rlimit NAME=N</c>: soft and hard limit both set to <see cref="Value"/>.</summary>
internal sealed record ResourceLimit(string Name, int Resource, ulong Value);
