using System.Diagnostics;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.FFmpeg;
using AudioEmbed.Core.Audio.Info;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Tests.FFmpeg;

/// <summary>
/// The containers Auto sends to ffmpeg, made here by ffmpeg from a 16-bit WAV: lossless ALAC must come back
/// bit-exact; lossy codecs keep rate, channels and length (within their encoder priming/padding).
/// </summary>
[Collection(FFmpegCollection.Name)]
public sealed class FFmpegContainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aembed-containers-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Encode(FFmpegTools tools, string source, string name, params string[] codec)
    {
        var output = Path.Combine(_dir, name);
        string[] args = ["-nostdin", "-v", "error", "-i", source, .. codec, output];
        using var p = Process.Start(tools.FFmpeg, args);
        p.WaitForExit();
        Skip.If(p.ExitCode != 0, $"this ffmpeg build cannot write {name} ({string.Join(' ', codec)})");
        return output;
    }

    [SkippableFact]
    public void Alac_in_m4a_decodes_bit_exact()
    {
        var tools = FFmpegTestSupport.Require();
        var wav = SharedData.Require("fixtures", "wav", "pcm_s16_stereo_44100.wav");
        var m4a = Encode(tools, wav, "alac.m4a", "-c:a", "alac");
        using var expected = WavDecoder.Open(wav);
        var samples = expected.ReadAll();
        using var decoded = AudioFile.Open(m4a, FFmpegTestSupport.ForceFFmpeg);
        Assert.IsType<FFmpegDecoder>(decoded);
        Tolerance.AllClose(samples, decoded.ReadAll(), abs: 0, what: "ALAC round trip"); // lossless: exact
        using var managed = AudioFile.Open(m4a); // Auto decodes ALAC in-process (Formats/AlacTests)
        Assert.IsType<AudioEmbed.Core.Audio.Mp4.M4aAlacSource>(managed);
        Tolerance.AllClose(samples, managed.ReadAll(), abs: 0, what: "managed ALAC round trip");

        var info = AudioFileInfo.Read(m4a);
        Assert.Equal(("MP4", "ALAC"), (info.Container, info.Codec));
        Assert.Equal(16, info.BitsPerSample);
        Assert.Equal(0.25, info.Duration!.Value.TotalSeconds, 3);
    }

    [SkippableTheory]
    [InlineData("aac.m4a", "MP4", "aac", 48000)]
    [InlineData("opus.ogg", "Ogg", "libopus", 48000)]   // Opus always decodes at 48 kHz
    [InlineData("wma.wma", "ASF", "wmav2", 44100)]
    public void Lossy_containers_keep_rate_channels_and_length(string name, string container, string encoder, int decodedRate)
    {
        var tools = FFmpegTestSupport.Require();
        var wav = SharedData.Require("fixtures", "wav", "ffmpeg_s16_stereo_48000_list.wav"); // 9600 frames at 48 kHz
        var rate = decodedRate == 44100 ? new[] { "-ar", "44100" } : Array.Empty<string>();
        var file = Encode(tools, wav, name, ["-c:a", encoder, .. rate]);
        // ffmpeg's path, asked for: Auto decodes AAC-LC in M4A in process now (Formats/AacM4aTests), Opus and WMA still with ffmpeg.
        using (var auto = AudioFile.Open(file))
        {
            if (encoder == "aac") Assert.IsType<AudioEmbed.Core.Audio.Mp4.M4aAacSource>(auto);
            else Assert.IsType<FFmpegDecoder>(auto);
        }
        using var decoded = AudioFile.Open(file, FFmpegTestSupport.ForceFFmpeg);
        Assert.IsType<FFmpegDecoder>(decoded);
        Assert.Equal(decodedRate, decoded.SampleRate);
        Assert.Equal(2, decoded.Channels);
        double seconds = decoded.ReadAll().Length / 2.0 / decodedRate;
        // 0.2 s within a few codec frames: encoders add priming/padding, and ffmpeg's WMA round trip drops the
        // last partial block (0.1858 s from the ffmpeg CLI itself, the same count as here).
        Assert.InRange(seconds, 0.2 - 0.02, 0.2 + 0.05);

        var info = AudioFileInfo.Read(file, FFmpegTestSupport.ForceFFmpeg);
        Assert.Equal(container, info.Container);
        Assert.Null(info.BitsPerSample);
        Assert.Equal("FFmpeg", info.Decoder);
        Assert.Equal(encoder == "aac" ? "Managed" : "FFmpeg", AudioFileInfo.Read(file).Decoder);
    }

    [SkippableFact]
    public void A_video_without_audio_is_a_clear_error()
    {
        var tools = FFmpegTestSupport.Require();
        var mp4 = Path.Combine(_dir, "video.mp4");
        using (var p = Process.Start(tools.FFmpeg, ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=5", "-c:v", "mpeg4", mp4]))
            p.WaitForExit();
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(mp4));
        Assert.Contains("matches no streams", e.Message);
        var info = Assert.Throws<AudioDecodeException>(() => AudioFileInfo.Read(mp4));
        Assert.Contains("no audio stream", info.Message);
        FFmpegTestSupport.AssertNoFFmpegChildren();
    }
}
