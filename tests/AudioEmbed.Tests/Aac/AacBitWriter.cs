using AudioEmbed.Core.Audio.Aac;

namespace AudioEmbed.Tests.Aac;

/// <summary>Writes AAC bitstreams by hand (MSB first) for paths ffmpeg's encoder never takes: pulse data, SBR fill elements, CRC headers.</summary>
internal sealed class AacBitWriter
{
    private readonly List<byte> _bytes = new();
    private int _bits;

    public int BitCount => _bytes.Count * 8 - (_bits == 0 ? 0 : 8 - _bits);

    public AacBitWriter Bits(int value, int count)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (_bits == 0) _bytes.Add(0);
            if (((value >> i) & 1) != 0) _bytes[^1] |= (byte)(0x80 >> _bits);
            _bits = (_bits + 1) & 7;
        }
        return this;
    }

    /// <summary>The codeword of <paramref name="index"/> in codebook <paramref name="book"/> (0 = scalefactors).</summary>
    public AacBitWriter Code(int book, int index)
    {
        uint e = AacHuffmanData.Books[book][index];
        return Bits((int)(e & 0xFFFFFF), (int)(e >> 24));
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>An ADTS frame around <paramref name="payload"/>: AAC-LC, the given rate index and channel configuration, optionally with a CRC field.</summary>
    public static byte[] Adts(byte[] payload, int sfIndex, int channels, bool crc = false)
    {
        int header = crc ? 9 : 7;
        int length = header + payload.Length;
        var w = new AacBitWriter()
            .Bits(0xFFF, 12).Bits(0, 1).Bits(0, 2).Bits(crc ? 0 : 1, 1)
            .Bits(1, 2).Bits(sfIndex, 4).Bits(0, 1).Bits(channels, 3).Bits(0, 2)
            .Bits(0, 2).Bits(length, 13).Bits(0x7FF, 11).Bits(0, 2);
        if (crc) w.Bits(0xBEEF, 16); // the reader does not check it (nor does ffmpeg by default)
        return w.ToArray().Concat(payload).ToArray();
    }
}
