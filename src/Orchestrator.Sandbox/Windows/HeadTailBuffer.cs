using System.Security.Cryptography;

namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// Keeps the first and last bytes of a stream, counts them all and hashes them all. Used by the Windows launcher to
/// drain its pipes; not thread-safe (one reader per stream).
/// </summary>
internal sealed class HeadTailBuffer(int headBytes, int tailBytes) : IDisposable
{
    private readonly byte[] _head = new byte[Math.Max(0, headBytes)];
    private readonly byte[] _tail = new byte[Math.Max(0, tailBytes)];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _headLength;
    private long _tailWritten;
    private long _total;

    public void Write(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        _total += data.Length;
        var toHead = Math.Min(_head.Length - _headLength, data.Length);
        data[..toHead].CopyTo(_head.AsSpan(_headLength));
        _headLength += toHead;
        data = data[toHead..];
        if (_tail.Length == 0)
            return;
        if (data.Length >= _tail.Length)
            data = data[^_tail.Length..];
        foreach (var b in data)
            _tail[(int)(_tailWritten++ % _tail.Length)] = b;
    }

    public CapturedOutput ToCapturedOutput()
    {
        var tailLength = (int)Math.Min(_tailWritten, _tail.Length);
        var tail = new byte[tailLength];
        var start = _tailWritten - tailLength;
        for (var i = 0; i < tailLength; i++)
            tail[i] = _tail[(int)((start + i) % _tail.Length)];
        return new CapturedOutput(_head[.._headLength], tail, _total, Convert.ToHexStringLower(_hash.GetCurrentHash()));
    }

    public void Dispose() => _hash.Dispose();
}
