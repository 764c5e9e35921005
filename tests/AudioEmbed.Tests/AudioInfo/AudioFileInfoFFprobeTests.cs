using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Info;
using AudioEmbed.Tests.FFmpeg;

namespace AudioEmbed.Tests.AudioInfo;

/// <summary>Formats without a managed decoder get their facts from ffprobe; without ffmpeg, the install message.</summary>
[Collection(FFmpegCollection.Name)]
public class AudioFileInfoFFprobeTests
{
    /// <summary>Durations are ffprobe 5.1's stream durations (duration_ts / 22050).</summary>
    [SkippableTheory]
    [InlineData("Kevin_MacLeod_-_Vibe_Ace.ogg", 61.458866)]
    [InlineData("admiralbob77_-_Choice_-_Drum-bass.ogg", 25.025986)]
    [InlineData("sorohanro_-_solo-trumpet-06.ogg", 5.333379)]
    public void Ogg_vorbis(string name, double seconds)
    {
        FFmpegTestSupport.RequireProbe();
        var info = AudioFileInfo.Read(SharedData.Require("audio", name), new DecoderOptions(DecoderPreference.FFmpeg)); // Auto reads Vorbis headers in-process
        Assert.Equal("Ogg Vorbis", info.Format);
        Assert.Equal(("Ogg", "Vorbis"), (info.Container, info.Codec));
        Assert.Equal((22050, 1), (info.SampleRate, info.Channels));
        Assert.Null(info.BitsPerSample);
        Assert.Equal(seconds, info.Duration!.Value.TotalSeconds, 5);
        Assert.True(info.Bitrate > 0);
        Assert.Equal("FFmpeg", info.Decoder);
    }

    [SkippableFact]
    public void FFmpeg_preference_reads_an_mp3_through_ffprobe()
    {
        FFmpegTestSupport.RequireProbe();
        var info = AudioFileInfo.Read(SharedData.Require("audio", "TRWJAZW128F42760DD_test.mp3"), new DecoderOptions(DecoderPreference.FFmpeg));
        Assert.Equal("FFmpeg", info.Decoder);
        Assert.Equal((22050, 2), (info.SampleRate, info.Channels));
        Assert.Equal(64000L, info.Bitrate);
    }

    [SkippableFact]
    public void Corrupt_file_through_ffprobe_is_a_decode_error_with_its_message()
    {
        FFmpegTestSupport.RequireProbe();
        var path = SharedData.Require("fixtures", "corrupt", "random_bytes.mp3");
        var e = Assert.Throws<AudioDecodeException>(() => AudioFileInfo.Read(path, new DecoderOptions(DecoderPreference.FFmpeg)));
        Assert.Contains("ffprobe failed", e.Message);
        FFmpegTestSupport.AssertNoFFmpegChildren();
    }

    [SkippableFact]
    public void Ogg_without_ffmpeg_gives_the_install_message()
    {
        var path = AudioEmbed.Tests.Formats.CraftedOgg.OpusHeaderOnly();
        var e = Assert.Throws<AudioDecodeException>(() => AudioFileInfo.Read(path, new DecoderOptions(FFmpegPath: "/nonexistent/ffmpeg")));
        Assert.Contains("winget install Gyan.FFmpeg", e.Message);
        Assert.Contains("brew install ffmpeg", e.Message);
    }

    [SkippableFact]
    public void Managed_preference_refuses_ogg()
    {
        var path = AudioEmbed.Tests.Formats.CraftedOgg.OpusHeaderOnly();
        var e = Assert.Throws<AudioDecodeException>(() => AudioFileInfo.Read(path, new DecoderOptions(DecoderPreference.Managed)));
        Assert.Contains("needs ffmpeg", e.Message);
    }

    [Fact]
    public void Parses_ffprobe_json_with_strings_numbers_and_NA()
    {
        var json = """
            {"streams":[{"codec_name":"aac","codec_long_name":"AAC (Advanced Audio Coding)","profile":"LC","sample_rate":"48000","channels":2,"bits_per_sample":0,"bits_per_raw_sample":"N/A","bit_rate":"128000","duration":"N/A"}],
             "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"12.500000","bit_rate":"130000"}}
            """u8;
        var info = FFprobeInfoReader.Parse("x.m4a", json, 1000);
        Assert.Equal("MP4 AAC (LC)", info.Format);
        Assert.Equal((48000, 2), (info.SampleRate, info.Channels));
        Assert.Null(info.BitsPerSample);
        Assert.Equal(12.5, info.Duration!.Value.TotalSeconds);
        Assert.Equal(128000L, info.Bitrate);
        Assert.Throws<AudioDecodeException>(() => FFprobeInfoReader.Parse("x", """{"streams":[]}"""u8, 1));
        Assert.Throws<AudioDecodeException>(() => FFprobeInfoReader.Parse("x", "not json"u8, 1));
    }
}
