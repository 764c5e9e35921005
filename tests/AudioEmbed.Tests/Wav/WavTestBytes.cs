using System.Buffers.Binary;
using System.Text;

namespace AudioEmbed.Tests.Wav;

/// <summary>Builds WAV files in memory for tests: chunks written by hand, so each test controls every header field.</summary>
internal static class WavTestBytes
{
    public sealed record Chunk(string Id, byte[] Body, uint? SizeField = null, bool Pad = true);

    /// <summary>A RIFF-family file: magic, size field (real size unless overridden), "WAVE", then the chunks.</summary>
    public static byte[] File(string magic, uint? riffSizeField, params Chunk[] chunks)
    {
        using var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes(magic));
        ms.Write(new byte[4]);
        ms.Write("WAVE"u8);
        foreach (var c in chunks)
        {
            ms.Write(Encoding.ASCII.GetBytes(c.Id));
            ms.Write(U32(c.SizeField ?? (uint)c.Body.Length));
            ms.Write(c.Body);
            if (c.Pad && (c.Body.Length & 1) == 1) ms.WriteByte(0);
        }
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), riffSizeField ?? (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] Wav(byte[] fmt, byte[] data, params Chunk[] extraBeforeData) =>
        File("RIFF", null, [new Chunk("fmt ", fmt), .. extraBeforeData, new Chunk("data", data)]);

    /// <summary>WAVEFORMATEX body (16 bytes, or 18 with cbSize for non-PCM tags).</summary>
    public static byte[] Fmt(ushort tag, int channels, int rate, int bits, int? blockAlign = null)
    {
        int align = blockAlign ?? channels * ((bits + 7) / 8);
        var b = new byte[tag == 1 ? 16 : 18];
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)bits);
        return b;
    }

    /// <summary>WAVE_FORMAT_EXTENSIBLE body (40 bytes) with a KSDATAFORMAT subformat GUID for <paramref name="subTag"/>.</summary>
    public static byte[] FmtExtensible(ushort subTag, int channels, int rate, int containerBits, int validBits, uint channelMask = 0)
    {
        var b = new byte[40];
        Fmt(0xFFFE, channels, rate, containerBits).AsSpan(0, 16).CopyTo(b);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), channelMask);
        new Guid($"{subTag:X8}-0000-0010-8000-00aa00389b71").TryWriteBytes(b.AsSpan(24));
        return b;
    }

    public static byte[] Ds64(long riffSize, long dataSize, long sampleCount)
    {
        var b = new byte[28];
        BinaryPrimitives.WriteInt64LittleEndian(b, riffSize);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), dataSize);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(16), sampleCount);
        return b;
    }

    public static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }
}
