using System.Security.Cryptography;

namespace Orchestrator.Sandbox.Process;

/// <summary>
/// Keeps the first <c>headBytes</c> and the last <c>tailBytes</c> of a stream, counts every byte and hashes every byte
/// with SHA-256. Memory is bounded by head + tail whatever the stream's size; both parts grow on demand so that a
/// short output costs little. Not thread-safe: one writer.
/// </summary>
public sealed class HeadTailBuffer : IDisposable
{
    private readonly int _headCapacity;
    private readonly int _tailCapacity;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private byte[] _head = [];
    private int _headLength;

    // A ring once full (_tail.Length == _tailCapacity); before that, bytes sit in order from index 0.
    private byte[] _tail = [];
    private int _tailStart;
    private int _tailLength;

    public HeadTailBuffer(int headBytes, int tailBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(tailBytes);
        _headCapacity = headBytes;
        _tailCapacity = tailBytes;
    }

    public HeadTailBuffer(OutputLimits limits) : this(limits.HeadBytes, limits.TailBytes)
    {
    }

    public long TotalBytes { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        _hash.AppendData(data);
        TotalBytes += data.Length;

        var toHead = Math.Min(data.Length, _headCapacity - _headLength);
        if (toHead > 0)
        {
            EnsureCapacity(ref _head, _headLength + toHead, _headCapacity);
            data[..toHead].CopyTo(_head.AsSpan(_headLength));
            _headLength += toHead;
            data = data[toHead..];
        }
        if (!data.IsEmpty && _tailCapacity > 0)
            WriteTail(data);
    }

    /// <summary>What was kept, the total count and the hash of everything written so far.</summary>
    public CapturedOutput ToCapturedOutput()
    {
        var tail = new byte[_tailLength];
        var firstPart = Math.Min(_tailLength, _tail.Length - _tailStart);
        _tail.AsSpan(_tailStart, firstPart).CopyTo(tail);
        _tail.AsSpan(0, _tailLength - firstPart).CopyTo(tail.AsSpan(firstPart));
        return new CapturedOutput(_head.AsSpan(0, _headLength).ToArray(), tail, TotalBytes, Convert.ToHexStringLower(_hash.GetCurrentHash()));
    }

    public void Dispose() => _hash.Dispose();

    private void WriteTail(ReadOnlySpan<byte> data)
    {
        if (data.Length >= _tailCapacity)
        {
            if (_tail.Length < _tailCapacity)
                _tail = new byte[_tailCapacity];
            data[^_tailCapacity..].CopyTo(_tail);
            _tailStart = 0;
            _tailLength = _tailCapacity;
            return;
        }

        if (_tail.Length < _tailCapacity)
        {
            // Still growing: bytes are in order from 0, so growing keeps them in place.
            var needed = _tailLength + data.Length;
            if (needed <= _tailCapacity)
            {
                EnsureCapacity(ref _tail, needed, _tailCapacity);
                data.CopyTo(_tail.AsSpan(_tailLength));
                _tailLength = needed;
                return;
            }
            EnsureCapacity(ref _tail, _tailCapacity, _tailCapacity);
        }

        // Full-size ring: write at the end position, wrapping, and drop the oldest bytes that are overwritten.
        var end = (_tailStart + _tailLength) % _tailCapacity;
        var first = Math.Min(data.Length, _tailCapacity - end);
        data[..first].CopyTo(_tail.AsSpan(end));
        data[first..].CopyTo(_tail);
        var overflow = _tailLength + data.Length - _tailCapacity;
        if (overflow > 0)
        {
            _tailStart = (_tailStart + overflow) % _tailCapacity;
            _tailLength = _tailCapacity;
        }
        else
        {
            _tailLength += data.Length;
        }
    }

    private static void EnsureCapacity(ref byte[] buffer, int needed, int max)
    {
        if (buffer.Length >= needed)
            return;
        var size = (int)Math.Min(max, Math.Max(needed, Math.Max(4096L, buffer.Length * 2L)));
        Array.Resize(ref buffer, size);
    }
}
