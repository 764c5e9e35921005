using System.Buffers.Binary;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp3;

namespace AudioEmbed.Tests.Mp3;

/// <summary>
/// Tags around and inside a stream are skipped by their stated sizes. Each tag body here holds real MP3 frames
/// (the first frames of l3-si), so a tag that was not skipped exactly would add decoded audio.
/// </summary>
public class Mp3TagTests
{
    [SkippableFact]
    public void Id3v2_with_footer_ApeV2_and_Id3v1_are_skipped()
    {
        var stream = File.ReadAllBytes(SharedData.Require("fixtures", "mp3", "l3-si.mp3"));
        var decoy = stream.AsSpan(0, 2000).ToArray(); // several complete frames: decodable if not skipped

        var file = new List<byte>();
        // ID3v2.4 with the footer flag: 10-byte header, body, 10-byte footer ("3DI").
        file.AddRange(Id3v2Header("ID3"u8, decoy.Length, flags: 0x10));
        file.AddRange(decoy);
        file.AddRange(Id3v2Header("3DI"u8, decoy.Length, flags: 0x10));
        file.AddRange(stream);
        // APEv2 with header and footer; size counts items + footer.
        file.AddRange(ApeBlock(decoy.Length + 32, isHeader: true));
        file.AddRange(decoy);
        file.AddRange(ApeBlock(decoy.Length + 32, isHeader: false));
        // ID3v1: "TAG" + 125 bytes.
        var v1 = new byte[128];
        "TAG"u8.CopyTo(v1);
        file.AddRange(v1);

        float[] expected, got;
        using (var d = Mp3Decoder.Open(new MemoryStream(stream), "plain")) expected = d.ReadAll();
        using (var d = Mp3Decoder.Open(new MemoryStream(file.ToArray()), "tagged")) got = d.ReadAll();
        Assert.Equal(expected.Length, got.Length);
        Assert.Equal(expected, got);
        Assert.True(Mp3Decoder.LooksLikeMp3(file.ToArray()));
    }

    private static byte[] Id3v2Header(ReadOnlySpan<byte> magic, int size, byte flags)
    {
        var h = new byte[10];
        magic.CopyTo(h);
        h[3] = 4;
        h[5] = flags;
        h[6] = (byte)((size >> 21) & 0x7F);
        h[7] = (byte)((size >> 14) & 0x7F);
        h[8] = (byte)((size >> 7) & 0x7F);
        h[9] = (byte)(size & 0x7F);
        return h;
    }

    private static byte[] ApeBlock(int size, bool isHeader)
    {
        var b = new byte[32];
        "APETAGEX"u8.CopyTo(b);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), 2000);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 1);
        uint flags = (1u << 31) | (isHeader ? 1u << 29 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), flags);
        return b;
    }
}
