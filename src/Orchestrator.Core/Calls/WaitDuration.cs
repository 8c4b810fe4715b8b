namespace Orchestrator.Core.Calls;

/// <summary>
/// The <c>wait</c> a client asks for, in seconds: a finite number from 0 to <see cref="MaxSeconds"/>. 0 (or no wait)
/// answers at once; any positive wait lasts at least <see cref="Smallest"/>, so no value rounds down to a zero timeout
/// (which would mean "wait forever").
/// </summary>
public static class WaitDuration
{
    public const double MaxSeconds = 300;
    public static readonly TimeSpan Smallest = TimeSpan.FromMilliseconds(1);

    /// <summary>Null wait when <paramref name="seconds"/> is null or 0; an error naming the rule when it is out of range.</summary>
    public static (TimeSpan? Wait, string? Error) Parse(double? seconds)
    {
        if (seconds is not { } s) return (null, null);
        if (!double.IsFinite(s) || s < 0 || s > MaxSeconds)
            return (null, $"wait must be a number of seconds from 0 to {MaxSeconds:0}");
        if (s == 0) return (null, null);
        var wait = TimeSpan.FromTicks((long)Math.Ceiling(s * TimeSpan.TicksPerSecond));
        return (wait < Smallest ? Smallest : wait, null);
    }
}
