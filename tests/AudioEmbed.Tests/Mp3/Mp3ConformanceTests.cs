using Xunit.Abstractions;

namespace AudioEmbed.Tests.Mp3;

/// <summary>
/// The normative ISO 11172-4 / 13818-4 Layer III vectors (and the two MPEG-2.5 vectors made with mpg123) against
/// their 16-bit references, gapless trimming off, with the full-accuracy criterion of ISO/IEC 11172-4 2.6.3:
/// RMS &lt; 8.81e-6 and max |diff| &lt;= 6.10e-5 after rounding our float output to 16 bits.
/// </summary>
public class Mp3ConformanceTests(ITestOutputHelper log)
{
    [SkippableTheory]
    [InlineData("l3-compl", 0)]
    [InlineData("l3-he_44khz", 0)]
    [InlineData("l3-he_free", 0)]
    [InlineData("l3-hecommon", 0)]
    [InlineData("l3-si", 0)]
    [InlineData("l3-si_block", 0)]
    [InlineData("l3-sin1k0db", 2304)]
    [InlineData("M2L3_bitrate_16_all", 0)]
    [InlineData("M2L3_bitrate_24_all", 0)]
    [InlineData("M2L3_noise", 0)]
    [InlineData("mpeg25_8000_mono", 0)]
    [InlineData("mpeg25_11025_jstereo", 0)]
    public void Vector_meets_full_accuracy(string name, int referenceStartsAtFrame)
    {
        var mp3 = SharedData.Require("fixtures", "mp3", name + ".mp3");
        var reference = Mp3TestSupport.ReadPcm16(SharedData.Require("fixtures", "mp3", name + ".pcm"));
        var (pcm, channels, _) = Mp3TestSupport.DecodeAll(mp3, gapless: false);
        int offset = referenceStartsAtFrame * channels;

        // The whole reference must be covered; ISO MPEG-1 references omit the last frame, so we may have more.
        Assert.True(pcm.Length - offset >= reference.Length,
            $"{name}: decoded {pcm.Length / channels} frames, reference needs {reference.Length / channels + referenceStartsAtFrame}");
        Assert.True(pcm.Length - offset - reference.Length <= 1152 * channels, $"{name}: {pcm.Length / channels} frames is more than one frame beyond the reference");

        var (rms, max) = Mp3TestSupport.Compare16(pcm, offset, reference);
        log.WriteLine($"{name}: rms {rms:E3} (limit {Mp3TestSupport.FullAccuracyRms:E2}), max {max:E3} (limit {Mp3TestSupport.FullAccuracyMax:E2})");
        Assert.True(rms < Mp3TestSupport.FullAccuracyRms, $"{name}: RMS difference {rms:E3} >= {Mp3TestSupport.FullAccuracyRms:E2}");
        Assert.True(max <= Mp3TestSupport.FullAccuracyMax, $"{name}: max difference {max:E3} > {Mp3TestSupport.FullAccuracyMax:E2}");
    }

    [SkippableFact]
    public void Lame_tagged_stream_is_trimmed_gaplessly_like_ffmpeg()
    {
        const string name = "l3-nonstandard-sin1k0db_lame_vbrtag";
        var mp3 = SharedData.Require("fixtures", "mp3", name + ".mp3");
        var reference = Mp3TestSupport.ReadPcm16(SharedData.Require("fixtures", "mp3", name + ".pcm"));

        using (var d = AudioEmbed.Core.Audio.Mp3.Mp3Decoder.Open(mp3))
        {
            Assert.Equal(362880, d.TotalFrames);
            var pcm = AudioEmbed.Core.Audio.AudioSourceExtensions.ReadAll(d);
            Assert.Equal(reference.Length, pcm.Length); // exact sample count, as FFmpeg
            var (rms, max) = Mp3TestSupport.Compare16(pcm, 0, reference);
            log.WriteLine($"gapless: rms {rms:E3}, max {max:E3}");
            // Not normative (minimp3's reference), but FFmpeg matches it exactly: hold it to the full-accuracy bound.
            Assert.True(rms < Mp3TestSupport.FullAccuracyRms && max <= Mp3TestSupport.FullAccuracyMax, $"rms {rms:E3} max {max:E3}");
        }

        // Without gapless trimming the Info frame is still skipped: the reference then starts 1105 samples in.
        var (raw, channels, _) = Mp3TestSupport.DecodeAll(mp3, gapless: false);
        Assert.Equal(364032 * channels, raw.Length);
        var (rms2, max2) = Mp3TestSupport.Compare16(raw, 1105 * channels, reference);
        Assert.True(rms2 < Mp3TestSupport.FullAccuracyRms && max2 <= Mp3TestSupport.FullAccuracyMax, $"rms {rms2:E3} max {max2:E3}");
    }
}
