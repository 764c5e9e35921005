using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.FFmpeg;

namespace AudioEmbed.Tests.FFmpeg;

/// <summary>The ffmpeg child never outlives its decoder: dispose, cancellation and a crash all end and reap it.</summary>
[Collection(FFmpegCollection.Name)]
public class FFmpegProcessLifetimeTests
{
    private static FFmpegDecoder OpenLongOgg(CancellationToken ct = default)
    {
        var tools = FFmpegTestSupport.Require();
        var ogg = SharedData.Require("audio", "Kevin_MacLeod_-_Vibe_Ace.ogg"); // 61 s: ffmpeg is still writing after one block
        return FFmpegDecoder.Open(ogg, tools, ct);
    }

    [SkippableFact]
    public void Dispose_mid_stream_kills_and_reaps_the_process()
    {
        var decoder = OpenLongOgg();
        var process = decoder.Process;
        int pid = process.Id;
        Assert.True(decoder.Read(new float[1024]) > 0);
        Assert.False(process.HasExited);
        Assert.False(decoder.ProcessHasExited);
        decoder.Dispose();
        Assert.True(decoder.ProcessHasExited);
        if (OperatingSystem.IsLinux()) Assert.False(Directory.Exists($"/proc/{pid}"), $"ffmpeg {pid} left as a zombie");
        FFmpegTestSupport.AssertNoFFmpegChildren();
        Assert.Throws<ObjectDisposedException>(() => decoder.Read(new float[16]));
    }

    [SkippableFact]
    public void Cancellation_kills_the_process_and_the_next_read_throws()
    {
        using var cts = new CancellationTokenSource();
        using var decoder = OpenLongOgg(cts.Token);
        var process = decoder.Process;
        Assert.True(decoder.Read(new float[1024]) > 0);
        cts.Cancel();
        Assert.True(process.WaitForExit(10_000), "ffmpeg still running after cancellation");
        Assert.ThrowsAny<OperationCanceledException>(() => { var b = new float[4096]; while (decoder.Read(b) > 0) { } });
    }

    [SkippableFact]
    public void An_ffmpeg_killed_mid_stream_is_an_error_not_a_short_file()
    {
        using var decoder = OpenLongOgg();
        Assert.True(decoder.Read(new float[1024]) > 0);
        decoder.Process.Kill();
        var e = Assert.Throws<AudioDecodeException>(() => { var b = new float[4096]; while (decoder.Read(b) > 0) { } });
        Assert.Contains("ffmpeg failed (exit code", e.Message);
    }

    [SkippableFact]
    public void Reading_to_the_end_leaves_no_child()
    {
        using (var decoder = OpenLongOgg()) decoder.ReadAll();
        FFmpegTestSupport.AssertNoFFmpegChildren();
    }
}
