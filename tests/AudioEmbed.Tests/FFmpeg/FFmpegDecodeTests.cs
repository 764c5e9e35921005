using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.FFmpeg;
using AudioEmbed.Core.Audio.Wav;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.FFmpeg;

/// <summary>Decoding through ffmpeg: real Ogg/MP3 files against ffprobe's facts and the ffmpeg reference arrays.</summary>
[Collection(FFmpegCollection.Name)]
public class FFmpegDecodeTests(ITestOutputHelper log)
{
    /// <summary>Rate, channels and duration_ts as ffprobe 5.1 reports them for the three Ogg Vorbis files.</summary>
    [SkippableTheory]
    [InlineData("Kevin_MacLeod_-_Vibe_Ace.ogg", 22050, 1, 1355168L)]
    [InlineData("admiralbob77_-_Choice_-_Drum-bass.ogg", 22050, 1, 551823L)]
    [InlineData("sorohanro_-_solo-trumpet-06.ogg", 22050, 1, 117601L)]
    public void Ogg_decodes_through_ffmpeg(string name, int rate, int channels, long frames)
    {
        FFmpegTestSupport.Require();
        var path = SharedData.Require("audio", name);
        using var source = AudioFile.Open(path, FFmpegTestSupport.ForceFFmpeg); // Auto decodes Vorbis in-process (Formats/OggVorbisTests)
        Assert.IsType<FFmpegDecoder>(source);
        Assert.Equal(rate, source.SampleRate);
        Assert.Equal(channels, source.Channels);
        var samples = FFmpegTestSupport.ReadAllInBlocks(source);
        Assert.Equal(frames, samples.Length / channels);
        Assert.All(samples, s => Assert.True(float.IsFinite(s) && Math.Abs(s) < 2f));
        Assert.True(samples.Max(Math.Abs) > 0.01f, "decoded audio is silent");
    }

    /// <summary>fixtures/decode/*_ffmpeg.npy is ffmpeg 5.1's own f32le output: the same build gives it exactly (tolerance 1e-6 for another build).</summary>
    [SkippableTheory]
    [InlineData("TRWJAZW128F42760DD_test", 22050, 2)]
    [InlineData("joram-moments_of_clarity-08-solipsism-59-88", 16000, 1)]
    public void Mp3_songs_through_ffmpeg_match_the_ffmpeg_reference(string name, int rate, int channels)
    {
        FFmpegTestSupport.Require();
        var mp3 = SharedData.Require("audio", name + ".mp3");
        var expected = SharedData.Npy("fixtures", "decode", name + "_ffmpeg.npy").ToFloat32();
        using var source = AudioFile.Open(mp3, FFmpegTestSupport.ForceFFmpeg);
        Assert.IsType<FFmpegDecoder>(source);
        Assert.Equal(rate, source.SampleRate);
        Assert.Equal(channels, source.Channels);
        var got = FFmpegTestSupport.ReadAllInBlocks(source);
        log.WriteLine($"{name}: {got.Length / channels} frames, max |diff| vs reference {Tolerance.MaxAbsDiff(expected, got):E3} (limit 1e-6)");
        Tolerance.AllClose(expected, got, abs: 1e-6, what: name);
    }

    /// <summary>
    /// The managed MP3 decoder and ffmpeg on the same song: same frame count and alignment (both honour the LAME
    /// gapless tag); samples within 1e-5, fixtures/decode/README.md's limit for float decoders (measured about 3e-6).
    /// </summary>
    [SkippableTheory]
    [InlineData("TRWJAZW128F42760DD_test")]
    [InlineData("joram-moments_of_clarity-08-solipsism-59-88")]
    public void Managed_and_ffmpeg_mp3_decodes_agree(string name)
    {
        FFmpegTestSupport.Require();
        var mp3 = SharedData.Require("audio", name + ".mp3");
        using var managed = AudioFile.Open(mp3, new DecoderOptions(DecoderPreference.Managed));
        using var ffmpeg = AudioFile.Open(mp3, FFmpegTestSupport.ForceFFmpeg);
        Assert.IsNotType<FFmpegDecoder>(managed);
        Assert.Equal(managed.SampleRate, ffmpeg.SampleRate);
        Assert.Equal(managed.Channels, ffmpeg.Channels);
        var a = managed.ReadAll();
        var b = FFmpegTestSupport.ReadAllInBlocks(ffmpeg);
        log.WriteLine($"{name}: managed vs ffmpeg max |diff| {Tolerance.MaxAbsDiff(a, b):E3} over {a.Length} samples (limit 1e-5)");
        Tolerance.AllClose(a, b, abs: 1e-5, what: name);
    }

    /// <summary>PCM through ffmpeg's float conversion equals the managed WAV decode exactly (s32: float32 rounding, 3e-8).</summary>
    [SkippableTheory]
    [InlineData("pcm_s16_stereo_44100.wav", 0.0)]
    [InlineData("pcm_u8_mono_8000.wav", 0.0)]
    [InlineData("pcm_s24_stereo_48000.wav", 0.0)]
    [InlineData("float32_stereo_22050.wav", 0.0)]
    [InlineData("ext_s16_6ch_48000.wav", 0.0)]
    [InlineData("pcm_s32_mono_96000.wav", 3e-8)]
    public void Wav_through_ffmpeg_equals_the_managed_decode(string name, double tolerance)
    {
        FFmpegTestSupport.Require();
        var wav = SharedData.Require("fixtures", "wav", name);
        using var managed = WavDecoder.Open(wav);
        using var ffmpeg = AudioFile.Open(wav, FFmpegTestSupport.ForceFFmpeg);
        Assert.Equal(managed.SampleRate, ffmpeg.SampleRate);
        Assert.Equal(managed.Channels, ffmpeg.Channels);
        var a = managed.ReadAll();
        var b = FFmpegTestSupport.ReadAllInBlocks(ffmpeg, 333);
        log.WriteLine($"{name}: max |diff| {Tolerance.MaxAbsDiff(a, b):E3} (limit {tolerance:E1})");
        Tolerance.AllClose(a, b, abs: tolerance, what: name);
    }

    [SkippableFact]
    public void Auto_keeps_the_managed_decoders_for_their_formats()
    {
        var mp3 = SharedData.Require("audio", "TRWJAZW128F42760DD_test.mp3");
        var flac = SharedData.Require("fixtures", "flac", "subset-60-mono_audio.flac");
        var wav = SharedData.Require("fixtures", "wav", "pcm_s16_stereo_44100.wav");
        // No ffmpeg needed: a nonexistent FFmpegPath must not matter for managed formats.
        var options = new DecoderOptions(FFmpegPath: "/nonexistent/ffmpeg");
        foreach (var path in new[] { mp3, flac, wav })
        {
            using var source = AudioFile.Open(path, options);
            Assert.IsNotType<FFmpegDecoder>(source);
            Assert.True(source.Read(new float[64 * source.Channels]) > 0);
        }
    }
}
