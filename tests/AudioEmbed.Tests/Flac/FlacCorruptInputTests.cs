using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Flac;

namespace AudioEmbed.Tests.Flac;

/// <summary>The broken and mislabelled files of ../shared/fixtures/corrupt behave as its README prescribes.</summary>
public class FlacCorruptInputTests
{
    private static string Corrupt(string file) => SharedData.Require("fixtures", "corrupt", file);

    [SkippableTheory]
    [InlineData("empty.flac", "empty file")]
    [InlineData("flac_truncated_in_metadata.flac", "metadata block of type 0 claims 34 bytes")]
    [InlineData("random_bytes.flac", "not a FLAC stream")]
    [InlineData("wav_named_as.flac", "not a FLAC stream")]
    // README allows a clear error or a decode from frame headers; we reject (STREAMINFO is the stream's definition).
    [InlineData("flac_corrupt_streaminfo.flac", "sample rate is 0")]
    public void Rejects_WithClearError(string file, string problem)
    {
        var path = Corrupt(file);
        var ex = Assert.Throws<AudioDecodeException>(() =>
        {
            using var decoder = FlacDecoder.Open(path);
            FlacFixtures.DecodeInts(decoder);
        });
        Assert.Contains(problem, ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [SkippableFact]
    public void TruncatedMidFrame_DecodesTheCompleteFrames()
    {
        using var full = FlacDecoder.Open(FlacFixtures.Path("subset-60-mono_audio.flac"));
        var reference = FlacFixtures.DecodeInts(full);
        using var cut = FlacDecoder.Open(Corrupt("flac_truncated_mid_frame.flac"));

        var samples = FlacFixtures.DecodeInts(cut);

        // ffmpeg 5.1 observed 110592 samples (27 whole 4096-sample frames) before the partial one.
        Assert.Equal(110592, samples.Length);
        Assert.True(cut.EndedInsidePartialFrame);
        Assert.Equal(reference.AsSpan(0, samples.Length).ToArray(), samples);
    }

    [SkippableFact]
    public void TruncatedMidFrame_WithMd5Verification_EndsWithAClearError()
    {
        var path = Corrupt("flac_truncated_mid_frame.flac");
        using var cut = FlacDecoder.Open(path, verifyMd5: true);
        var ex = Assert.Throws<AudioDecodeException>(() => FlacFixtures.DecodeInts(cut));
        Assert.Contains("MD5", ex.Message);
        Assert.Contains("ends inside a frame", ex.Message);
    }

    [SkippableFact]
    public void FlacNamedAsMp3_DecodesByContent()
    {
        var expected = FlacFixtures.Get("subset-64-rice_partitions_with_escape_code_zero.flac");
        using var decoder = FlacDecoder.Open(Corrupt("flac_named_as.mp3"), verifyMd5: true);
        var samples = FlacFixtures.DecodeInts(decoder);
        Assert.Equal(187998, samples.Length);
        Assert.Equal(expected.Sha256, FlacFixtures.Sha256OfInt32Le(samples));
    }
}
