namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// The two checksums of a FLAC frame: CRC-8 (polynomial x^8+x^2+x+1, 0x07) over the frame header and
/// CRC-16 (polynomial x^16+x^15+x^2+1, 0x8005) over the whole frame. Both start at zero, are not
/// reflected and have no final xor. Table-driven, one byte per step.
/// </summary>
internal static class FlacCrc
{
    private static readonly byte[] Crc8Table = BuildCrc8();
    private static readonly ushort[] Crc16Table = BuildCrc16();

    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0;
        foreach (byte b in data) crc = Crc8Table[crc ^ b];
        return crc;
    }

    public static ushort Crc16(ushort crc, ReadOnlySpan<byte> data)
    {
        var table = Crc16Table;
        foreach (byte b in data) crc = (ushort)((crc << 8) ^ table[(crc >> 8) ^ b]);
        return crc;
    }

    private static byte[] BuildCrc8()
    {
        var t = new byte[256];
        for (int i = 0; i < 256; i++)
        {
            int c = i;
            for (int k = 0; k < 8; k++) c = (c & 0x80) != 0 ? (c << 1) ^ 0x07 : c << 1;
            t[i] = (byte)c;
        }
        return t;
    }

    private static ushort[] BuildCrc16()
    {
        var t = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            int c = i << 8;
            for (int k = 0; k < 8; k++) c = (c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1;
            t[i] = (ushort)c;
        }
        return t;
    }
}
