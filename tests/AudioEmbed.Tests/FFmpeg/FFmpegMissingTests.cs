using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.FFmpeg;

namespace AudioEmbed.Tests.FFmpeg;

/// <summary>Without ffmpeg, formats that need it fail with a message saying which formats and how to install it per OS.</summary>
public class FFmpegMissingTests
{
    private static void AssertInstallMessage(AudioDecodeException e)
    {
        Assert.Contains("needs ffmpeg", e.Message);
        Assert.Contains("Ogg", e.Message);
        Assert.Contains("winget install Gyan.FFmpeg", e.Message);
        Assert.Contains("AUDIOEMBED_FFMPEG", e.Message);
        Assert.Contains("apt-get install ffmpeg", e.Message);
        Assert.Contains("dnf install ffmpeg", e.Message);
        Assert.Contains("brew install ffmpeg", e.Message);
    }

    [SkippableFact]
    public void Ogg_opus_with_a_nonexistent_ffmpeg_path_gives_the_install_message()
    {
        var ogg = AudioEmbed.Tests.Formats.CraftedOgg.OpusHeaderOnly();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid(), "ffmpeg");
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(ogg, new DecoderOptions(FFmpegPath: missing)));
        AssertInstallMessage(e);
        Assert.Contains(missing, e.Message);
        Assert.Equal(ogg, e.FilePath);
        Assert.Contains("Ogg Opus audio", e.Message);
    }

    [SkippableFact]
    public void FFmpeg_preference_with_a_nonexistent_path_gives_the_install_message_even_for_wav()
    {
        var wav = SharedData.Require("fixtures", "wav", "pcm_s16_stereo_44100.wav");
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(wav, new DecoderOptions(DecoderPreference.FFmpeg, "/nonexistent/ffmpeg")));
        AssertInstallMessage(e);
    }

    [Fact]
    public void An_empty_PATH_and_no_variable_finds_nothing()
    {
        string? Env(string name) => name == "PATH" ? "" : null;
        Assert.Null(FFmpegLocator.Find(null, Env, out var searched));
        Assert.Contains("not on PATH", searched);
        var e = Assert.Throws<AudioDecodeException>(() => FFmpegLocator.Require("song.ogg", null, "This file is Ogg audio, which", Env));
        AssertInstallMessage(e);
    }

    [Fact]
    public void A_PATH_without_ffmpeg_finds_nothing()
    {
        var empty = Directory.CreateTempSubdirectory("aembed-path-").FullName;
        try
        {
            Assert.Null(FFmpegLocator.Find(null, n => n == "PATH" ? empty : null, out _));
        }
        finally { Directory.Delete(empty, true); }
    }

    [Fact]
    public void The_variable_is_authoritative_when_it_points_nowhere()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        string? Env(string name) => name == FFmpegLocator.EnvironmentVariable ? "/nonexistent/dir" : name == "PATH" ? path : null;
        Assert.Null(FFmpegLocator.Find(null, Env, out var searched));
        Assert.Contains("AUDIOEMBED_FFMPEG", searched);
    }

    [SkippableFact]
    public void The_variable_and_the_explicit_path_may_name_the_folder_or_the_executable()
    {
        var tools = FFmpegTestSupport.Require();
        var folder = Path.GetDirectoryName(tools.FFmpeg)!;
        var viaFolder = FFmpegLocator.Find(null, n => n == FFmpegLocator.EnvironmentVariable ? folder : null, out _);
        Assert.NotNull(viaFolder);
        Assert.Equal(tools.FFmpeg, viaFolder!.FFmpeg);
        Assert.Equal("$AUDIOEMBED_FFMPEG", viaFolder.FoundVia);
        var viaFile = FFmpegLocator.Find(tools.FFmpeg, _ => null, out _);
        Assert.Equal(tools.FFmpeg, viaFile!.FFmpeg);
    }

    [SkippableFact]
    public void PATH_lookup_finds_ffmpeg_and_its_ffprobe()
    {
        var tools = FFmpegTestSupport.Require();
        var folder = Path.GetDirectoryName(tools.FFmpeg)!;
        var found = FFmpegLocator.Find(null, n => n == "PATH" ? "/nonexistent" + Path.PathSeparator + folder : null, out _);
        Assert.NotNull(found);
        Assert.Equal("PATH", found!.FoundVia);
        Assert.Equal(tools.FFmpeg, found.FFmpeg);
    }
}
