using AudioEmbed.Core.Audio.Flac;

namespace AudioEmbed.Tests.Flac;

/// <summary>Frame byte ranges of a clean file, and an independent (bitwise) CRC-16 to re-seal a frame after editing it.</summary>
internal static class FlacTestFrames
{
    /// <summary>(offset, length incl. CRC-16) of every frame of a fixed-block-size file.</summary>
    public static List<(int Offset, int Length)> Spans(byte[] file, int blockSize)
    {
        var spans = new List<(int, int)>();
        using var decoder = FlacDecoder.Open(new MemoryStream(file), "frames");
        var chunk = new int[blockSize * decoder.Channels];
        while (decoder.ReadInt32(chunk) > 0)
            spans.Add(((int)decoder.LastFrame.Offset, (int)decoder.LastFrameLength));
        return spans;
    }

    /// <summary>Rewrites the CRC-16 (polynomial 0x8005, MSB first, init 0) at the end of a frame.</summary>
    public static void Reseal(byte[] file, int offset, int length)
    {
        int crc = 0;
        for (int i = offset; i < offset + length - 2; i++)
        {
            crc ^= file[i] << 8;
            for (int k = 0; k < 8; k++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
        }
        file[offset + length - 2] = (byte)(crc >> 8);
        file[offset + length - 1] = (byte)crc;
    }
}
