using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.FFmpeg;

namespace AudioEmbed.Tests.FFmpeg;

/// <summary>Bad input through ffmpeg: a typed error with ffmpeg's own words, no hang, and no child left behind.</summary>
[Collection(FFmpegCollection.Name)]
public class FFmpegBadInputTests
{
    [SkippableTheory]
    [InlineData("random_bytes.mp3")]
    [InlineData("random_bytes.wav")]
    [InlineData("png_named.mp3")]
    [InlineData("empty.wav")]
    public void Corrupt_files_through_ffmpeg_fail_with_ffmpegs_message(string name)
    {
        FFmpegTestSupport.Require();
        var path = SharedData.Require("fixtures", "corrupt", name);
        var e = Assert.Throws<AudioDecodeException>(() =>
        {
            using var source = AudioFile.Open(path, FFmpegTestSupport.ForceFFmpeg);
            source.ReadAll();
        });
        Assert.Equal(path, e.FilePath);
        if (name != "empty.wav") // the sniffer refuses an empty file before ffmpeg runs
        {
            Assert.Contains("ffmpeg failed (exit code 1)", e.Message);
        }
        FFmpegTestSupport.AssertNoFFmpegChildren();
    }

    [SkippableFact]
    public void Damaged_ogg_fails_with_ffmpegs_message()
    {
        FFmpegTestSupport.Require();
        var source = SharedData.Require("audio", "Kevin_MacLeod_-_Vibe_Ace.ogg");
        var bytes = File.ReadAllBytes(source);
        var rng = new Random(1);
        for (int i = 20000; i < 300000; i++) bytes[i] = (byte)rng.Next(256);
        var path = Path.Combine(Directory.CreateTempSubdirectory("aembed-ff-").FullName, "damaged.ogg");
        File.WriteAllBytes(path, bytes);
        try
        {
            var e = Assert.Throws<AudioDecodeException>(() => { using var s = AudioFile.Open(path, FFmpegTestSupport.ForceFFmpeg); s.ReadAll(); });
            Assert.Contains("ffmpeg failed", e.Message);
            Assert.Contains("Invalid data", e.Message);
            FFmpegTestSupport.AssertNoFFmpegChildren();
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [SkippableFact]
    public void A_png_named_mp3_stays_not_audio_in_auto_and_managed_modes()
    {
        var png = SharedData.Require("fixtures", "corrupt", "png_named.mp3");
        foreach (var preference in new[] { DecoderPreference.Auto, DecoderPreference.Managed })
        {
            var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(png, new DecoderOptions(preference)));
            Assert.Contains("not an audio file", e.Message);
        }
    }

    [SkippableFact]
    public void Managed_preference_refuses_ogg_opus_clearly()
    {
        var ogg = AudioEmbed.Tests.Formats.CraftedOgg.OpusHeaderOnly();
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(ogg, new DecoderOptions(DecoderPreference.Managed)));
        Assert.Contains("Ogg Opus audio needs ffmpeg", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3, 0x01, 0, 0, 0 }, "Matroska/WebM")]
    [InlineData(new byte[] { (byte)'c', (byte)'a', (byte)'f', (byte)'f', 0, 1, 0, 0 }, "CAF")]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, null)]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0x20, 0x77, 0x6F }, null)]
    public void Other_audio_containers_are_named_and_non_audio_is_not(byte[] head, string? expected) =>
        Assert.Equal(expected, AudioFormatSniffer.OtherAudioContainer(head));

    [SkippableFact]
    public void Raw_aac_is_recognised_as_audio_and_ffmpeg_decodes_it_when_asked()
    {
        var tools = FFmpegTestSupport.Require();
        var dir = Directory.CreateTempSubdirectory("aembed-aac-").FullName;
        try
        {
            var aac = Path.Combine(dir, "tone.aac");
            using (var p = System.Diagnostics.Process.Start(tools.FFmpeg, ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1:sample_rate=44100", "-c:a", "aac", "-f", "adts", aac]))
                p.WaitForExit();
            var head = File.ReadAllBytes(aac).AsSpan(0, 4096);
            Assert.Equal(AudioFormat.Adts, AudioFormatSniffer.Detect(head)); // decoded in-process under Auto (Formats.AacAdtsTests)
            using var source = AudioFile.Open(aac, FFmpegTestSupport.ForceFFmpeg);
            Assert.IsType<FFmpegDecoder>(source);
            Assert.Equal(44100, source.SampleRate);
            int frames = source.ReadAll().Length;
            Assert.Equal(45 * 1024, frames); // 44,100 samples + 1024 of priming, in whole frames: ffmpeg trims nothing from ADTS
        }
        finally { Directory.Delete(dir, true); }
    }
}
