using System.Buffers;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Storage;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The high-water mark in DATA/high-water-mark, advanced after every successful journal write. At most every
/// <see cref="FlushInterval"/> (and when the actor system ends) the advances since the last flush are appended to
/// DATA/high-water-mark.log (<see cref="HighWaterMarkLog"/>), so a flush costs the sessions that moved, not every
/// session ever seen; once the log outgrows the mark it is folded into the mark file (written whole, 0600, atomically)
/// and emptied. Files are written outside the lock that journal writes advance under, so no write waits for the disk.
/// Without a path the mark is kept in memory only.
/// </summary>
public sealed class HighWaterMarkFile : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The log is folded into the mark once it is larger than this many times the mark's own size (and 1 MiB).</summary>
    private const int LogToMarkRatio = 4;
    private const long MinimumLogToFold = 1 << 20;
    /// <summary>About what one session takes in the mark file (id, sequence number and a 64-digit head).</summary>
    private const int BytesPerSession = 110;

    private readonly string? _path;
    private readonly Lock _gate = new();
    private readonly Lock _writing = new();
    private readonly Timer? _timer;
    private HighWaterMark _mark;
    /// <summary>Advances since <see cref="_mark"/> was last built (the furthest per persistence id): folded in when the mark is read or written.</summary>
    private readonly Dictionary<string, (long SequenceNr, byte[] Head)> _advanced = new(StringComparer.Ordinal);
    /// <summary>Advances folded into the mark but not yet in the log (under <see cref="_gate"/>).</summary>
    private Dictionary<string, (long SequenceNr, byte[] Head)> _unlogged = new(StringComparer.Ordinal);
    /// <summary>The next flush writes the whole mark (a log write failed, or there is no mark file yet).</summary>
    private bool _writeWhole;
    private long _logBytes;
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private bool _disposed;

    /// <param name="opened">The mark already read from <paramref name="path"/> at start (<see cref="OpenedHighWaterMark"/>); null: read it here.</param>
    public HighWaterMarkFile(string? path, HighWaterMark? opened = null) : this(path, FlushInterval, opened)
    {
    }

    /// <param name="flushEvery">How often the timer flushes; null for no timer (the specs flush by hand).</param>
    internal HighWaterMarkFile(string? path, TimeSpan? flushEvery, HighWaterMark? opened = null)
    {
        _path = path;
        _mark = opened ?? (path is not null ? Read(path) ?? HighWaterMark.Empty : HighWaterMark.Empty);
        if (path is null) return;
        // A log is read only beside its mark file: without one, the first flush writes the mark whole. So it does after
        // a crash cut the log's last line short: appending after that part would make a whole line that is no advance.
        _writeWhole = !File.Exists(path) || EndsWithinALine(LogPath(path));
        _logBytes = File.Exists(LogPath(path)) ? new FileInfo(LogPath(path)).Length : 0;
        if (flushEvery is { } every) _timer = new Timer(_ => FlushQuietly(), null, every, every);
    }

    private static bool EndsWithinALine(string log)
    {
        if (!File.Exists(log)) return false;
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length == 0) return false;
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() != '\n';
    }

    public static string LogPath(string markPath) => markPath + ".log";

    /// <summary>The mark file with its log applied; null when the mark file is missing (a log alone is not a mark).</summary>
    /// <exception cref="FormatException">The mark or its log is unreadable.</exception>
    public static HighWaterMark? Read(string markPath)
    {
        if (!File.Exists(markPath)) return null;
        var mark = HighWaterMark.Parse(File.ReadAllText(markPath));
        var log = LogPath(markPath);
        return File.Exists(log) ? HighWaterMarkLog.ApplyTo(mark, File.ReadAllBytes(log)) : mark;
    }

    /// <summary>Writes <paramref name="mark"/> whole and empties its log (while no server holds the data directory).</summary>
    public static void Replace(string markPath, HighWaterMark mark)
    {
        PrivateFile.Write(markPath, mark.Format());
        File.Delete(LogPath(markPath));
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
        _mark = _mark.WithAll(_advanced);
        foreach (var (id, advance) in _advanced)
            if (!_unlogged.TryGetValue(id, out var known) || known.SequenceNr < advance.SequenceNr) _unlogged[id] = advance;
        _advanced.Clear();
        return _mark;
    }

    public void Flush()
    {
        if (_path is null) return;
        lock (_writing)
        {
            HighWaterMark mark;
            Dictionary<string, (long SequenceNr, byte[] Head)> unlogged;
            bool whole;
            lock (_gate)
            {
                mark = Folded();
                if (_unlogged.Count == 0 && !_writeWhole) return;
                unlogged = _unlogged;
                _unlogged = new(StringComparer.Ordinal);
                whole = _writeWhole || _logBytes > Math.Max(MinimumLogToFold, (long)LogToMarkRatio * BytesPerSession * mark.Marks.Count);
                _writeWhole = false;
            }
            try
            {
                if (whole) WriteWhole(mark);
                else AppendToLog(unlogged);
            }
            catch
            {
                // What was taken is in the mark already: the next flush writes it whole.
                lock (_gate) _writeWhole = true;
                throw;
            }
        }
    }

    private void WriteWhole(HighWaterMark mark)
    {
        PrivateFile.Write(_path!, mark.Format());
        using (new FileStream(LogPath(_path!), PrivateFile.Options(FileMode.Create, FileAccess.Write))) { }
        _logBytes = 0;
    }

    private void AppendToLog(Dictionary<string, (long SequenceNr, byte[] Head)> advances)
    {
        _buffer.ResetWrittenCount();
        HighWaterMarkLog.Append(_buffer, advances);
        using var log = new FileStream(LogPath(_path!), PrivateFile.Options(FileMode.Append, FileAccess.Write));
        log.Write(_buffer.WrittenSpan);
        _logBytes += _buffer.WrittenCount;
    }

    /// <summary>On the timer: a failed write is retried at the next tick (the mark is then written whole).</summary>
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
