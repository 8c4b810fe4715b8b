using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Core.History.Replay;

/// <summary>
/// Appends a compact record into a pooled buffer (little-endian numbers, 7-bit lengths, UTF-8 text whose length is
/// stored plus one, so 0 is null). Dispose returns the buffer.
/// </summary>
internal ref struct RecordWriter
{
    private byte[] _buffer;
    private int _length;

    public RecordWriter(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Byte(byte value) => Take(1)[0] = value;

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    /// <summary>A nullable small number (an enum): 0 for null, else the value plus one.</summary>
    public void Small(int? value) => Byte(value is { } v ? checked((byte)(v + 1)) : (byte)0);

    public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    public void Count(int value)
    {
        var v = checked((uint)value);
        while (v >= 0x80)
        {
            Byte((byte)(v | 0x80));
            v >>= 7;
        }
        Byte((byte)v);
    }

    public void Text(string? text)
    {
        if (text is null)
        {
            Count(0);
            return;
        }
        var bytes = Encoding.UTF8.GetByteCount(text);
        Count(bytes + 1);
        Encoding.UTF8.GetBytes(text, Take(bytes));
    }

    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    private Span<byte> Take(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            Written.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }
}
