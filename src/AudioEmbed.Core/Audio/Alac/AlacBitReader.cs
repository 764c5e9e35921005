using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Alac;

/// <summary>
/// MSB-first bits of one ALAC packet. Reads past the packet's end return zeros and are caught by
/// <see cref="CheckNotOverrun"/>, so a damaged packet is refused instead of being read outside its bytes.
/// </summary>
internal sealed class AlacBitReader
{
    private byte[] _data = Array.Empty<byte>();
    private int _length;
    private long _bit;

    public void Reset(byte[] data, int length)
    {
        // 8 readable bytes past the end keep Peek branch-free; the caller's buffer carries that slack.
        _data = data;
        _length = length;
        _bit = 0;
    }

    public long BitPosition => _bit;

    public bool Overrun => _bit > (long)_length * 8;

    /// <summary>The next 32 bits, MSB first, without consuming them (zeros past the end).</summary>
    public uint Peek32()
    {
        long byteIndex = _bit >> 3;
        ulong word;
        if (byteIndex + 8 <= _data.Length) word = BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan((int)byteIndex));
        else
        {
            word = 0;
            for (int i = 0; i < 8; i++)
                word = word << 8 | (byteIndex + i < _length ? _data[byteIndex + i] : 0u);
        }
        return (uint)(word << (int)(_bit & 7) >> 32);
    }

    /// <summary>1 to 32 bits as an unsigned value.</summary>
    public uint Read(int bits)
    {
        if (bits == 0) return 0;
        uint v = Peek32() >> (32 - bits);
        _bit += bits;
        return v;
    }

    public int ReadSigned(int bits)
    {
        if (bits == 0) return 0;
        int v = (int)Peek32() >> (32 - bits);
        _bit += bits;
        return v;
    }

    public void Skip(long bits) => _bit += bits;

    public void AlignToByte() => _bit = (_bit + 7) & ~7L;

    /// <summary>Leading one bits, at most <paramref name="max"/>; the terminating zero is consumed when found.</summary>
    public int UnaryOnes(int max)
    {
        uint w = Peek32();
        int ones = System.Numerics.BitOperations.LeadingZeroCount(~w);
        if (ones >= max) { _bit += max; return max; }
        _bit += ones + 1;
        return ones;
    }
}
