using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Tests.Wav;

public class WavProbeTests
{
    [SkippableTheory]
    [InlineData("pcm_s16_stereo_44100.wav", "RIFF", 2, 44100, 16)]
    [InlineData("ffmpeg_rf64_s16_stereo_48000.wav", "RF64", 2, 48000, 16)]
    [InlineData("ext_s24in32_mono_44100.wav", "RIFF", 1, 44100, 24)]
    [InlineData("chunks_list_info_before_after.wav", "RIFF", 2, 44100, 16)]
    public void ReadsTheFmtChunkFromTheFirstBytes(string file, string container, int channels, int rate, int bits)
    {
        var head = File.ReadAllBytes(SharedData.Require("fixtures", "wav", file)).AsSpan(0, 4096);
        var info = WavDecoder.Probe(head);
        Assert.NotNull(info);
        Assert.Equal(container, info.Container);
        Assert.Equal(channels, info.Channels);
        Assert.Equal(rate, info.SampleRate);
        Assert.Equal(bits, info.BitsPerSample);
        Assert.Null(info.Problem);
    }

    [Fact]
    public void SaysWaveEvenWhenTheFmtChunkIsNotInTheBytes()
    {
        var wav = WavTestBytes.Wav(WavTestBytes.Fmt(1, 2, 8000, 16), new byte[40], new WavTestBytes.Chunk("LIST", new byte[1000]));
        var moved = WavTestBytes.File("RIFF", null, new WavTestBytes.Chunk("LIST", new byte[1000]), new WavTestBytes.Chunk("fmt ", WavTestBytes.Fmt(1, 2, 8000, 16)));
        Assert.NotNull(WavDecoder.Probe(wav.AsSpan(0, 12))?.Container);
        Assert.Null(WavDecoder.Probe(moved.AsSpan(0, 100))!.Format);
        Assert.Contains("past the bytes given", WavDecoder.Probe(wav.AsSpan(0, 30))!.Problem);
    }

    [Fact]
    public void ReportsAnUnusableFmtAsAProblem()
    {
        var info = WavDecoder.Probe(WavTestBytes.Wav(WavTestBytes.Fmt(0x55, 2, 44100, 0, blockAlign: 1), new byte[4]));
        Assert.NotNull(info);
        Assert.Null(info.Format);
        Assert.Contains("MPEG Layer III", info.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("RIFF")]
    [InlineData("RIFF\0\0\0\0AVI LIST")]
    [InlineData("fLaC\0\0\0\"\0\0\0\0\0\0")]
    [InlineData("ID3\u0003\0\0\0\0\0\0\0\0\0\0")]
    public void IsNullForOtherContent(string head) =>
        Assert.Null(WavDecoder.Probe(System.Text.Encoding.Latin1.GetBytes(head)));
}
