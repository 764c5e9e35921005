using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>
/// Walks boxes in a seekable stream and reads the payloads the demuxer asks for. Every box must lie inside its
/// parent and the file, and a payload is read only when it is smaller than a stated limit and the file, so a lying
/// size can neither send the reader outside the file nor make it allocate more than the file holds.
/// </summary>
internal sealed class Mp4BoxReader
{
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[16];

    public Mp4BoxReader(Stream stream, string name)
    {
        _stream = stream;
        Name = name;
        Length = stream.Length;
    }

    public string Name { get; }

    public long Length { get; }

    /// <summary>The boxes between <paramref name="start"/> and <paramref name="end"/>, in file order.</summary>
    public IEnumerable<Mp4Box> Children(long start, long end)
    {
        long position = start;
        while (end - position >= 8)
        {
            var box = ReadHeader(position, end);
            yield return box;
            position = box.End;
        }
    }

    public IEnumerable<Mp4Box> Children(Mp4Box parent, int skip = 0) => Children(parent.PayloadStart + skip, parent.End);

    public Mp4Box? Child(Mp4Box parent, string type, int skip = 0)
    {
        foreach (var b in Children(parent, skip))
            if (b.Is(type)) return b;
        return null;
    }

    public Mp4Box ReadHeader(long position, long parentEnd)
    {
        ReadExactly(position, _header.AsSpan(0, 8));
        long size = BinaryPrimitives.ReadUInt32BigEndian(_header);
        uint type = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        int headerLength = 8;
        if (size == 1)
        {
            if (parentEnd - position < 16) throw Fail($"the '{Mp4Box.Describe(type)}' box's 64-bit size runs past its parent", position);
            ReadExactly(position + 8, _header.AsSpan(8, 8));
            ulong large = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(8));
            size = large > long.MaxValue ? long.MaxValue : (long)large;
            headerLength = 16;
        }
        else if (size == 0)
        {
            size = parentEnd - position; // "to the end of the file" (or of the parent)
        }
        if (size < headerLength || size > parentEnd - position)
            throw Fail($"the '{Mp4Box.Describe(type)}' box says it is {size} bytes, but its parent has {parentEnd - position} bytes left", position);
        return new Mp4Box(type, position, position + headerLength, position + size);
    }

    /// <summary>A box's payload (after <paramref name="skip"/> bytes), refused when longer than <paramref name="limit"/>.</summary>
    public byte[] ReadPayload(Mp4Box box, int limit, int skip = 0)
    {
        long length = box.PayloadLength - skip;
        if (length < 0) throw Fail($"the '{box.Name}' box is too short ({box.PayloadLength} bytes)", box.HeaderStart);
        if (length > limit) throw Fail($"the '{box.Name}' box holds {length} bytes, more than the {limit} this reader accepts for it", box.HeaderStart);
        var bytes = new byte[length];
        ReadExactly(box.PayloadStart + skip, bytes);
        return bytes;
    }

    public void ReadExactly(long position, Span<byte> into)
    {
        if (position < 0 || position > Length - into.Length)
            throw Fail($"{into.Length} bytes at byte {position} lie past the end of the {Length}-byte file", position);
        _stream.Position = position;
        try
        {
            _stream.ReadExactly(into);
        }
        catch (EndOfStreamException)
        {
            throw Fail("the file ends early", position);
        }
    }

    public AudioDecodeException Fail(string problem, long? offset = null) => new(Name, problem, offset);
}
