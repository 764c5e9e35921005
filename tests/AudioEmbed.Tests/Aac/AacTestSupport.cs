using System.Diagnostics;
using AudioEmbed.Core.Audio.Aac;
using AudioEmbed.Tests.FFmpeg;

namespace AudioEmbed.Tests.Aac;

/// <summary>
/// Makes ADTS test files with ffmpeg's own AAC encoder and decodes them with ffmpeg's native float decoder (forced
/// with <c>-c:a aac</c> on the input side) as the reference; files are cached per ffmpeg build in the temp folder.
/// </summary>
internal static class AacTestSupport
{
    private static readonly object Gate = new();

    public static string CacheDirectory(string ffmpeg)
    {
        var stamp = File.GetLastWriteTimeUtc(ffmpeg).Ticks.ToString("x");
        var dir = Path.Combine(Path.GetTempPath(), "audioembed-aac-tests-" + stamp);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Encodes <paramref name="input"/> (ffmpeg input arguments) with <paramref name="encoder"/> arguments; returns the .aac and the reference decode.</summary>
    public static (string Aac, float[] Reference) Make(string name, string input, string encoder)
    {
        var tools = FFmpegTestSupport.Require();
        var dir = CacheDirectory(tools.FFmpeg);
        string aac = Path.Combine(dir, name + ".aac"), raw = Path.Combine(dir, name + ".f32");
        lock (Gate)
        {
            if (!File.Exists(raw))
            {
                Run(tools.FFmpeg, $"-hide_banner -loglevel error -y {input} -c:a aac {encoder} -f adts \"{aac}.tmp\"");
                File.Move(aac + ".tmp", aac, true);
                Run(tools.FFmpeg, $"-hide_banner -loglevel error -y -c:a aac -i \"{aac}\" -f f32le -c:a pcm_f32le \"{raw}.tmp\"");
                File.Move(raw + ".tmp", raw, true);
            }
        }
        return (aac, ReadF32(raw));
    }

    /// <summary>ffmpeg's float decode of an existing ADTS file (one we built by hand).</summary>
    public static float[] FFmpegDecode(string aac)
    {
        var tools = FFmpegTestSupport.Require();
        string raw = aac + ".f32";
        Run(tools.FFmpeg, $"-hide_banner -loglevel error -y -c:a aac -i \"{aac}\" -f f32le -c:a pcm_f32le \"{raw}\"");
        return ReadF32(raw);
    }

    public static float[] ReadF32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var f = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, f, 0, f.Length * 4);
        return f;
    }

    private static void Run(string exe, string arguments)
    {
        var psi = new ProcessStartInfo(exe, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException($"ffmpeg {arguments} did not finish"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg {arguments} failed: {err.Result}");
    }

    /// <summary>Every frame of an ADTS file through the managed decoder, concatenated.</summary>
    public static (float[] Samples, AacDecoder Decoder) DecodeManaged(string aac)
    {
        var reader = new AdtsFrameReader(File.ReadAllBytes(aac), aac);
        var decoder = new AacDecoder(reader.AudioSpecificConfig, aac);
        var frames = reader.ReadAll();
        var all = new float[frames.Count * AacDecoder.FrameLength * decoder.Channels];
        for (int i = 0; i < frames.Count; i++)
        {
            int n = decoder.Decode(frames[i].Span, all.AsSpan(i * AacDecoder.FrameLength * decoder.Channels));
            Assert.Equal(AacDecoder.FrameLength, n);
        }
        return (all, decoder);
    }
}
