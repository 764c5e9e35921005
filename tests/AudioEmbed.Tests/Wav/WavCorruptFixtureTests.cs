using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Tests.Wav;

/// <summary>The WAV entries of ../shared/fixtures/corrupt (see its README/index.json for the expectations).</summary>
public class WavCorruptFixtureTests
{
    [SkippableTheory]
    [InlineData("empty.wav", "empty file")]
    [InlineData("wav_truncated_in_header.wav", "truncated header")]
    [InlineData("random_bytes.wav", "not a RIFF/WAVE (or AIFF) file")]
    [InlineData("wav_samplerate0_huge_size.wav", "sample rate of 0 Hz")]
    [InlineData("wav_zero_channels.wav", "zero channels")]
    public void Rejects_WithADecodeErrorNamingTheFile(string file, string problem)
    {
        var path = SharedData.Require("fixtures", "corrupt", file);
        var e = Assert.Throws<AudioDecodeException>(() =>
        {
            using var d = WavDecoder.Open(path);
            d.ReadAll();
        });
        Assert.Contains(file, e.Message);
        Assert.Contains(problem, e.Problem);
        Assert.Equal(path, e.FilePath);
    }

    [SkippableFact]
    public void TruncatedMidData_DecodesTheCompleteFramesAndDropsTheDanglingByte()
    {
        var reference = SharedData.Npy("fixtures", "wav", "pcm_s16_stereo_44100.npy").ToFloat32();
        using var decoder = WavDecoder.Open(SharedData.Require("fixtures", "corrupt", "wav_truncated_mid_data.wav"));
        Assert.Equal(5000, decoder.TotalFrames);
        var actual = decoder.ReadAll();
        Assert.Equal(5000 * 2, actual.Length);
        Tolerance.AllClose(reference.AsSpan(0, 5000 * 2), actual, abs: 0, what: "first 5000 frames");
    }

    [SkippableFact]
    public void TruncatedMidData_OnAPipe_DecodesTheSameFrames()
    {
        var path = SharedData.Require("fixtures", "corrupt", "wav_truncated_mid_data.wav");
        using var decoder = WavDecoder.Open(new WavNonSeekableStream(new MemoryStream(File.ReadAllBytes(path)), 333), "pipe");
        Assert.Equal(5000 * 2, decoder.ReadAll().Length);
    }

    [SkippableFact]
    public void WavNamedAsFlac_DecodesBecauseTheContentDecides()
    {
        var reference = SharedData.Npy("fixtures", "wav", "pcm_s16_stereo_44100.npy").ToFloat32();
        using var decoder = WavDecoder.Open(SharedData.Require("fixtures", "corrupt", "wav_named_as.flac"));
        Tolerance.AllClose(reference, decoder.ReadAll(), abs: 0, what: "wav_named_as.flac");
    }

    [SkippableTheory]
    [InlineData("empty.flac")]
    [InlineData("random_bytes.mp3")]
    [InlineData("png_named.mp3")]
    [InlineData("flac_named_as.mp3")]
    public void NonWavContent_IsNotAWaveFile(string file)
    {
        var path = SharedData.Require("fixtures", "corrupt", file);
        Assert.Null(WavDecoder.Probe(File.ReadAllBytes(path)));
        Assert.Throws<AudioDecodeException>(() => WavDecoder.Open(path).Dispose());
    }
}
