namespace Orchestrator.Core.History.Events;

/// <summary>
/// What was kept of a run's two output streams under the run's output cap, recorded with its end
/// (<see cref="ExecutionResult.Output"/>) so a finished call's output is served the same after any restart. Only the
/// bounded head and tail are ever recorded, never the whole stream; the byte counts and digests of the whole streams
/// are in the <see cref="ExecutionResult"/> beside it.
/// </summary>
public sealed record RecordedOutput(KeptStream Stdout, KeptStream Stderr);

/// <summary>The first and the last bytes kept of one stream, each base64 (the bytes exactly as the process wrote them).</summary>
public sealed record KeptStream(string Head, string Tail)
{
    public static KeptStream Of(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail) => new(Convert.ToBase64String(head), Convert.ToBase64String(tail));

    /// <summary>The kept bytes as text (see <see cref="OutputText"/>) for a stream of <paramref name="totalBytes"/> in all.</summary>
    public string Text(long totalBytes) => OutputText.Of(Convert.FromBase64String(Head), Convert.FromBase64String(Tail), totalBytes);
}
