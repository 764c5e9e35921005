using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>Big-endian fields of one box's payload; a read past its end is a clear error naming the box, never an index exception.</summary>
internal sealed class Mp4Bytes
{
    private readonly byte[] _data;
    private readonly Mp4BoxReader _file;
    private readonly Mp4Box _box;

    public Mp4Bytes(byte[] data, Mp4BoxReader file, Mp4Box box)
    {
        _data = data;
        _file = file;
        _box = box;
    }

    public int Position { get; set; }

    public int Remaining => _data.Length - Position;

    public ReadOnlySpan<byte> Data => _data;

    public byte U8() => Take(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public int I32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public long I64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public void Skip(int count) => Take(count);

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
            throw _file.Fail($"the '{_box.Name}' box is too short: {count} more bytes needed at its byte {Position}, {Remaining} left", _box.HeaderStart);
        var span = _data.AsSpan(Position, count);
        Position += count;
        return span;
    }

    /// <summary>A table of <paramref name="count"/> entries of <paramref name="entryBytes"/> each must fit in what is left: checked before any array is sized by it.</summary>
    public int Entries(uint count, int entryBytes)
    {
        if (count > (uint)(Remaining / entryBytes))
            throw _file.Fail($"the '{_box.Name}' box says it holds {count} entries, but it has room for {Remaining / entryBytes}", _box.HeaderStart);
        return (int)count;
    }

    public AudioDecodeException Fail(string problem) => _file.Fail($"'{_box.Name}' box: {problem}", _box.HeaderStart);
}
