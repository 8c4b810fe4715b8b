namespace Orchestrator.Sandbox;

/// <summary>How much of each output stream is kept: the first <see cref="HeadBytes"/> and the last <see cref="TailBytes"/>.</summary>
public sealed record OutputLimits(int HeadBytes = 1024 * 1024, int TailBytes = 1024 * 1024, TimeSpan? DrainTimeout = null)
{
    public static readonly OutputLimits Default = new();

    /// <summary>How long to keep reading after the command exits, for grandchildren that hold the pipes open.</summary>
    public TimeSpan EffectiveDrainTimeout => DrainTimeout ?? TimeSpan.FromSeconds(2);
}
