using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Flac;

namespace AudioEmbed.Tests.Flac;

/// <summary>The three integrity checks: header CRC-8, frame CRC-16 and the optional STREAMINFO MD5.</summary>
public class FlacIntegrityTests
{
    private const string Verbatim = "subset-15-only_verbatim_subframes.flac";

    [SkippableFact]
    public void Md5Verification_DetectsAFlippedSampleBit_ThatTheFrameCrcCannot()
    {
        var bytes = File.ReadAllBytes(FlacFixtures.Path(Verbatim));
        var original = Decode(bytes, verifyMd5: true); // the good file passes verification
        var frames = FlacTestFrames.Spans(bytes, 4096);
        var (offset, length) = frames[10];
        bytes[offset + length / 4] ^= 0x10; // inside the first subframe's verbatim samples
        FlacTestFrames.Reseal(bytes, offset, length);

        var tampered = Decode(bytes, verifyMd5: false); // frame checks pass: the change is a valid sample
        Assert.Equal(original.Length, tampered.Length);
        Assert.NotEqual(original, tampered);

        var ex = Assert.Throws<AudioDecodeException>(() => Decode(bytes, verifyMd5: true));
        Assert.Contains("MD5", ex.Message);
    }

    [SkippableFact]
    public void FrameCrc16Mismatch_NamesTheFrameOffset()
    {
        var bytes = File.ReadAllBytes(FlacFixtures.Path(Verbatim));
        var (offset, length) = FlacTestFrames.Spans(bytes, 4096)[5];
        bytes[offset + length / 2] ^= 0x01;
        var ex = Assert.Throws<AudioDecodeException>(() => Decode(bytes, verifyMd5: false));
        Assert.Contains("CRC-16", ex.Message);
        Assert.Equal(offset, ex.ByteOffset);
    }

    [SkippableFact]
    public void HeaderCrc8Mismatch_NamesTheFrameOffset()
    {
        var bytes = File.ReadAllBytes(FlacFixtures.Path(Verbatim));
        var (offset, _) = FlacTestFrames.Spans(bytes, 4096)[3];
        bytes[offset + 2] ^= 0x01; // sample rate code 9 (44.1 kHz) becomes 8 (32 kHz)
        var ex = Assert.Throws<AudioDecodeException>(() => Decode(bytes, verifyMd5: false));
        Assert.Contains("CRC-8", ex.Message);
        Assert.Equal(offset, ex.ByteOffset);
    }

    private static int[] Decode(byte[] bytes, bool verifyMd5)
    {
        using var decoder = FlacDecoder.Open(new MemoryStream(bytes), Verbatim, verifyMd5);
        return FlacFixtures.DecodeInts(decoder);
    }
}
