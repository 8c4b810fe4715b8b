using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Core.History.Replay;

/// <summary>Reads what a <see cref="RecordWriter"/> wrote; a record cut short throws <see cref="InvalidDataException"/>.</summary>
internal ref struct RecordReader(ReadOnlySpan<byte> record)
{
    private readonly ReadOnlySpan<byte> _record = record;
    private int _position;

    public readonly bool AtEnd => _position == _record.Length;

    public byte Byte() => Take(1)[0];

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var b => throw new InvalidDataException($"{b} is not a boolean"),
    };

    /// <summary>A nullable small number written by <see cref="RecordWriter.Small"/>.</summary>
    public int? Small() => Byte() is var b and > 0 ? b - 1 : null;

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public int Count()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Byte();
            value |= (uint)(b & 0x7F) << shift;
            // Every element counted takes a byte at least, a text one byte per count less one: a larger count is damage.
            if (b < 0x80) return value <= (uint)(_record.Length - _position) + 1 ? (int)value : throw new InvalidDataException("a count beyond the record");
        }
        throw new InvalidDataException("a length of more than five bytes");
    }

    public string? Text()
    {
        var length = Count();
        return length == 0 ? null : Encoding.UTF8.GetString(Take(length - 1));
    }

    public string RequiredText() => Text() ?? throw new InvalidDataException("a required text is missing");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _record.Length - _position) throw new InvalidDataException("the record is cut short");
        var span = _record.Slice(_position, count);
        _position += count;
        return span;
    }
}
