namespace Orchestrator.Sandbox;

/// <summary>
/// What was kept of one output stream: the first bytes and the last bytes, how many there were in all, and the
/// SHA-256 of the whole stream (computed while draining, so it covers what was not kept).
/// </summary>
public sealed record CapturedOutput(byte[] Head, byte[] Tail, long TotalBytes, string Sha256)
{
    public static readonly CapturedOutput Empty = new([], [], 0, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([])));

    public bool Truncated => TotalBytes > Head.LongLength + Tail.LongLength;

    /// <summary>Head and tail as text, with a marker where bytes were dropped.</summary>
    public string Text => Orchestrator.Core.History.OutputText.Of(Head, Tail, TotalBytes);
}
