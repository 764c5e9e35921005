using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Tests.Wav;

/// <summary>Malformed or unsupported headers: each gives an <see cref="AudioDecodeException"/> whose words say what is wrong.</summary>
public class WavHeaderErrorTests
{
    private static AudioDecodeException Reject(byte[] wav)
    {
        var e = Assert.Throws<AudioDecodeException>(() =>
        {
            using var d = WavDecoder.Open(new MemoryStream(wav), "bad.wav");
            d.ReadAll();
        });
        Assert.Contains("bad.wav", e.Message);
        return e;
    }

    private static readonly byte[] SomeData = new byte[64];

    [Theory]
    [InlineData((ushort)0x0006, "0x0006 (A-law)")]
    [InlineData((ushort)0x0055, "0x0055 (MPEG Layer III)")]
    [InlineData((ushort)0x0002, "0x0002 (Microsoft ADPCM)")]
    [InlineData((ushort)0x1234, "0x1234")]
    public void UnsupportedFormatTag_IsNamed(ushort tag, string words)
    {
        var e = Reject(WavTestBytes.Wav(WavTestBytes.Fmt(tag, 1, 8000, 8), SomeData));
        Assert.Contains("unsupported format tag " + words, e.Problem);
    }

    [Fact]
    public void UnsupportedExtensibleSubformat_IsNamed()
    {
        var e = Reject(WavTestBytes.Wav(WavTestBytes.FmtExtensible(0x0007, 1, 8000, 8, 8), SomeData));
        Assert.Contains("0x0007 (mu-law) in WAVE_FORMAT_EXTENSIBLE", e.Problem);
        var odd = WavTestBytes.FmtExtensible(1, 1, 8000, 16, 16);
        odd[30] ^= 0xFF; // not a KSDATAFORMAT GUID any more
        Assert.Contains("subformat", Reject(WavTestBytes.Wav(odd, SomeData)).Problem);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 40)]
    [InlineData(1, 48)]
    [InlineData(3, 16)]
    [InlineData(3, 24)]
    public void UnsupportedBitsPerSample_IsNamed(ushort tag, int bits)
    {
        var e = Reject(WavTestBytes.Wav(WavTestBytes.Fmt(tag, 1, 8000, bits, blockAlign: 2), SomeData));
        Assert.Contains($"{bits} bits per sample is unsupported", e.Problem);
    }

    [Fact]
    public void ZeroChannels_ZeroRate_BlockAlignMismatch_TooManyChannels()
    {
        Assert.Contains("zero channels", Reject(WavTestBytes.Wav(WavTestBytes.Fmt(1, 0, 8000, 16, blockAlign: 0), SomeData)).Problem);
        Assert.Contains("sample rate of 0 Hz", Reject(WavTestBytes.Wav(WavTestBytes.Fmt(1, 2, 0, 16), SomeData)).Problem);
        Assert.Contains("block align 6 does not match 2 channel(s) of 2 byte(s)", Reject(WavTestBytes.Wav(WavTestBytes.Fmt(1, 2, 8000, 16, blockAlign: 6), SomeData)).Problem);
        Assert.Contains("more than the 256 supported", Reject(WavTestBytes.Wav(WavTestBytes.Fmt(1, 300, 8000, 8, blockAlign: 300), SomeData)).Problem);
    }

    [Fact]
    public void ValidBitsLargerThanTheContainer_IsRejected()
    {
        var e = Reject(WavTestBytes.Wav(WavTestBytes.FmtExtensible(1, 1, 8000, 16, 20), SomeData));
        Assert.Contains("20 valid bits per sample does not fit a 16-bit container", e.Problem);
    }

    [Fact]
    public void MissingChunks_AreNamed()
    {
        var fmt = WavTestBytes.Fmt(1, 1, 8000, 16);
        Assert.Contains("no data chunk", Reject(WavTestBytes.File("RIFF", null, new WavTestBytes.Chunk("fmt ", fmt), new WavTestBytes.Chunk("LIST", new byte[10]))).Problem);
        Assert.Contains("no fmt chunk", Reject(WavTestBytes.File("RIFF", null, new WavTestBytes.Chunk("LIST", new byte[10]))).Problem);
        Assert.Contains("no fmt chunk", Reject(WavTestBytes.File("RIFF", null)).Problem);
    }

    [Fact]
    public void ShortFmtChunk_IsNamed()
    {
        var e = Reject(WavTestBytes.Wav(WavTestBytes.Fmt(1, 1, 8000, 16)[..14], SomeData));
        Assert.Contains("fmt chunk is 14 bytes", e.Problem);
        var ext = WavTestBytes.FmtExtensible(1, 1, 8000, 16, 16)[..18];
        Assert.Contains("shorter than 40", Reject(WavTestBytes.Wav(ext, SomeData)).Problem);
    }

    [Fact]
    public void NotRiffOrNotWave_IsNamed()
    {
        var avi = WavTestBytes.Wav(WavTestBytes.Fmt(1, 1, 8000, 16), SomeData);
        "AVI "u8.CopyTo(avi.AsSpan(8));
        Assert.Contains("RIFF form type is 'AVI '", Reject(avi).Problem);
        Assert.Contains("not a RIFF/WAVE (or AIFF) file: it starts with 'fLaC'", Reject("fLaC\0\0\0\"\u0012\0"u8.ToArray()).Problem);
        Assert.Contains("not a RIFF/WAVE (or AIFF) file", Reject([0xFF]).Problem);
    }

    [Fact]
    public void EveryTruncationOfTheHeader_IsATruncatedHeader_NotAnotherException()
    {
        var wav = WavTestBytes.Wav(WavTestBytes.FmtExtensible(3, 2, 8000, 32, 32), new byte[80]);
        int dataAt = wav.Length - 80;
        for (int cut = 1; cut < dataAt; cut++)
        {
            var e = Reject(wav[..cut]);
            Assert.True(e.Problem.Contains("truncated header") || e.Problem.Contains("no data chunk") || e.Problem.Contains("no fmt chunk"),
                $"cut at {cut}: {e.Problem}");
        }
        using var d = WavDecoder.Open(new MemoryStream(wav[..dataAt]), "header-only.wav");
        Assert.Empty(d.ReadAll()); // a header with no sample bytes left is zero frames, not an error
    }

    [Fact]
    public void HugeDeclaredSizes_AreNotAllocated()
    {
        // data says ~4 GB on a 100-byte file: decodes the 28 frames present, quickly and with a small buffer.
        var wav = WavTestBytes.File("RIFF", 0xFFFFFFF0,
            new WavTestBytes.Chunk("fmt ", WavTestBytes.Fmt(1, 2, 8000, 16)),
            new WavTestBytes.Chunk("data", new byte[112], SizeField: 0xFFFFFFF0));
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var d = WavDecoder.Open(new MemoryStream(wav), "huge.wav");
        Assert.Equal(28, d.TotalFrames);
        Assert.Equal(56, d.ReadAll().Length);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }
}
