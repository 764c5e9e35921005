using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp3;

namespace AudioEmbed.Tests.Mp3;

/// <summary>minimp3's non-normative vectors (tags, Info-only files, broken side info), judged by their README notes.</summary>
public class Mp3NonStandardVectorTests
{
    private const double OneLsb = 1.0 / 32768 + 1e-9;

    [SkippableTheory]
    [InlineData("l3-nonstandard-id3v2")]
    [InlineData("l3-nonstandard-apetag")]
    [InlineData("l3-nonstandard-id3v1-apetag")]
    public void Tagged_single_frame_decodes_to_one_frame_within_one_lsb(string name)
    {
        var mp3 = SharedData.Require("fixtures", "mp3", name + ".mp3");
        var reference = Mp3TestSupport.ReadPcm16(SharedData.Require("fixtures", "mp3", name + ".pcm"));
        var (pcm, _, _) = Mp3TestSupport.DecodeAll(mp3, gapless: true);
        // README: 1152 samples within 1 LSB, or 0 samples; tag bytes never decoded as audio. We give the 1152.
        Assert.Equal(1152, pcm.Length);
        var (_, max) = Mp3TestSupport.Compare16(pcm, 0, reference);
        Assert.True(max <= OneLsb, $"max diff {max:E3} > 1 LSB");
    }

    [SkippableTheory]
    [InlineData("l3-nonstandard-vbrtag-only")]
    [InlineData("l3-nonstandard-vbrtag-corrupted")]
    [InlineData("l3-nonstandard-vbrtag-empty")]
    public void Info_frame_alone_gives_no_samples(string name)
    {
        var mp3 = SharedData.Require("fixtures", "mp3", name + ".mp3");
        using var d = Mp3Decoder.Open(mp3);
        Assert.Equal(2, d.Channels);
        Assert.Equal(44100, d.SampleRate);
        // The Info frame may state a frame count, but a file this small cannot hold those frames: no length is announced.
        Assert.Null(d.TotalFrames);
        Assert.Empty(d.ReadAll());
    }

    [SkippableTheory]
    [InlineData("l3-nonstandard-id3v2-only")]
    [InlineData("l3-nonstandard-small")]
    public void File_without_audio_frames_is_rejected_clearly(string name)
    {
        var mp3 = SharedData.Require("fixtures", "mp3", name + ".mp3");
        var e = Assert.Throws<AudioDecodeException>(() => Mp3Decoder.Open(mp3));
        Assert.Contains(name, e.Message);
    }

    [SkippableFact]
    public void Corrupt_side_info_sizes_decode_without_crash_and_bounded()
    {
        var mp3 = SharedData.Require("fixtures", "mp3", "l3-nonstandard-compl-sideinfo-size.mp3");
        var (pcm, _, _) = Mp3TestSupport.DecodeAll(mp3, gapless: true);
        // compl.bit has 217 frames: whatever the corrupt sizes do, never more than that many frames of output.
        Assert.InRange(pcm.Length, 1, 217 * 1152);
        Assert.All(pcm, v => Assert.True(float.IsFinite(v)));
    }

    [SkippableFact]
    public void Cut_stream_gives_at_most_one_frame()
    {
        var mp3 = SharedData.Require("fixtures", "mp3", "l3-compl-cut.mp3");
        var (pcm, _, _) = Mp3TestSupport.DecodeAll(mp3, gapless: true);
        Assert.True(pcm.Length == 0 || pcm.Length == 1152, $"{pcm.Length} samples");
    }
}
