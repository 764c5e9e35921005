using System.Diagnostics;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.FFmpeg;
using AudioEmbed.Tests.FFmpeg;

namespace AudioEmbed.Tests.Formats;

/// <summary>
/// Test files made by ffmpeg (ALAC and AAC in M4A, Ogg variants) from the shared songs and generated signals, once
/// per test run in a temp folder, and ffmpeg's own float decode of them as the reference.
/// </summary>
internal static class FormatTestFiles
{
    private static readonly string Folder = CreateFolder();

    /// <summary>This run's scratch folder, deleted when the test process exits.</summary>
    public static string TempFolder => Folder;

    private static string CreateFolder()
    {
        string folder = Directory.CreateTempSubdirectory("aembed-formats-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return folder;
    }
    private static readonly object Gate = new();

    /// <summary>Runs ffmpeg with <paramref name="arguments"/> writing <paramref name="name"/> in the temp folder (once); skips without ffmpeg.</summary>
    public static string Make(string name, params string[] arguments)
    {
        var tools = FFmpegTestSupport.Require();
        string output = Path.Combine(Folder, name);
        lock (Gate)
        {
            if (File.Exists(output)) return output;
            var psi = new ProcessStartInfo(tools.FFmpeg) { RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-nostdin", "-v", "error", "-y" }.Concat(arguments).Append(output + ".tmp" + Path.GetExtension(name)))
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"ffmpeg failed making {name}: {err}");
            File.Move(output + ".tmp" + Path.GetExtension(name), output);
        }
        return output;
    }

    /// <summary>An ALAC M4A of <paramref name="seconds"/> of a shared song.</summary>
    public static string AlacSong(string song, string sampleFormat, double seconds = 20) =>
        Make($"{Path.GetFileNameWithoutExtension(song)}-{sampleFormat}-{seconds}.m4a",
            "-i", SharedData.Require("audio", song), "-vn", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:a", "alac", "-sample_fmt", sampleFormat);

    /// <summary>Generated tones, a different one per channel (so a channel mix-up shows), plus noise so the predictor works hard.</summary>
    public static string AlacTones(int channels, string layout, string sampleFormat, int rate = 44100, double seconds = 3)
    {
        var exprs = string.Join("|", Enumerable.Range(0, channels).Select(c => $"0.6*sin({220 * (c + 1)}*2*PI*t)*sin(0.5*PI*t)+0.05*(random({c})-0.5)"));
        return Make($"tones-{channels}-{sampleFormat}-{rate}.m4a",
            "-f", "lavfi", "-i", $"aevalsrc={exprs}:c={layout}:s={rate}:d={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "-c:a", "alac", "-sample_fmt", sampleFormat);
    }

    /// <summary>Reads a whole source in odd-sized blocks.</summary>
    public static float[] ReadAll(IAudioSource source) => FFmpegTestSupport.ReadAllInBlocks(source, 1001);

    /// <summary>ffmpeg's float32 decode (its first audio stream, native rate and channels).</summary>
    public static (float[] Samples, int Rate, int Channels) FFmpegDecode(string path)
    {
        using var source = AudioFile.Open(path, FFmpegTestSupport.ForceFFmpeg);
        return (ReadAll(source), source.SampleRate, source.Channels);
    }

    public static (float[] Samples, int Rate, int Channels, IAudioSource Kind) ManagedDecode(string path)
    {
        var source = AudioFile.Open(path, new DecoderOptions(DecoderPreference.Managed));
        using (source) return (ReadAll(source), source.SampleRate, source.Channels, source);
    }
}
