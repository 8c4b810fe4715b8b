using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The high-water mark in DATA/high-water-mark, advanced after every successful journal write and written to disk
/// (atomically, 0600) at most every <see cref="FlushInterval"/> and when the actor system ends. Without a path it is
/// kept in memory only.
/// </summary>
public sealed class HighWaterMarkFile : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly string? _path;
    private readonly Lock _gate = new();
    private readonly Timer? _timer;
    private HighWaterMark _mark;
    /// <summary>Advances since <see cref="_mark"/> was last built (the furthest per persistence id): folded in when the mark is read or written.</summary>
    private readonly Dictionary<string, (long SequenceNr, byte[] Head)> _advanced = new(StringComparer.Ordinal);
    private bool _dirty;
    private bool _disposed;

    public HighWaterMarkFile(string? path)
    {
        _path = path;
        _mark = path is not null && File.Exists(path) ? HighWaterMark.Parse(File.ReadAllText(path)) : HighWaterMark.Empty;
        if (path is not null) _timer = new Timer(_ => FlushQuietly(), null, FlushInterval, FlushInterval);
    }

    public HighWaterMark Current
    {
        get { lock (_gate) return Folded(); }
    }

    /// <summary>Called after every journal write: kept in a plain dictionary, so a write costs no immutable tree update.</summary>
    public void Advance(string persistenceId, long sequenceNr, ReadOnlySpan<byte> head)
    {
        lock (_gate)
        {
            if (_advanced.TryGetValue(persistenceId, out var known) && known.SequenceNr >= sequenceNr) return;
            _advanced[persistenceId] = (sequenceNr, head.ToArray());
        }
    }

    /// <summary>The mark with every advance so far (under the lock).</summary>
    private HighWaterMark Folded()
    {
        if (_advanced.Count == 0) return _mark;
        var next = _mark.WithAll(_advanced);
        _advanced.Clear();
        if (!ReferenceEquals(next, _mark))
        {
            _mark = next;
            _dirty = true;
        }
        return _mark;
    }

    public void Flush()
    {
        if (_path is null) return;
        lock (_gate)
        {
            Folded();
            if (!_dirty) return;
            var temp = _path + ".tmp";
            File.WriteAllText(temp, _mark.Format());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, _path, overwrite: true);
            _dirty = false;
        }
    }

    /// <summary>On the timer: a failed write is retried at the next tick (the mark stays dirty).</summary>
    private void FlushQuietly()
    {
        try { Flush(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _timer?.Dispose();
        Flush();
    }
}
