using System.Diagnostics;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Flac;
using AudioEmbed.Core.Audio.Mp3;
using AudioEmbed.Core.Audio.Mp4;
using AudioEmbed.Core.Audio.Ogg;
using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Bench;

/// <summary>
/// Decode + downmix + resample to 16 kHz mono of a 60-s 44.1-kHz stereo MP3, FLAC, Ogg Vorbis and ALAC M4A (made here with ffmpeg from
/// the test signal), on one thread, beside ffmpeg doing the same job in the same run
/// (<c>ffmpeg -i f -ac 1 -ar 16000 -f f32le -</c>), and decoding alone beside <c>ffmpeg -i f -f f32le -</c>.
/// Needs ffmpeg on PATH; skipped otherwise.
/// </summary>
internal static class DecodeBench
{
    private const double Seconds = 60;

    public static void Run(Report report)
    {
        var ffmpeg = FindFfmpeg();
        if (ffmpeg is null) { report.Add("decode benchmarks", "skipped", "ffmpeg not found on PATH (apt-get install ffmpeg)"); return; }
        var dir = Path.Combine(Path.GetTempPath(), "audioembed-bench-decode-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var wav = Path.Combine(dir, "signal.wav");
            WavFile.Write(wav, Signals.Stereo(44100, Seconds), 44100, 2);
            var mp3 = Path.Combine(dir, "signal.mp3");
            var flac = Path.Combine(dir, "signal.flac");
            RunFfmpeg(ffmpeg, "-y", "-v", "error", "-i", wav, "-c:a", "libmp3lame", "-b:a", "192k", mp3);
            RunFfmpeg(ffmpeg, "-y", "-v", "error", "-i", wav, "-c:a", "flac", flac);
            var ogg = Path.Combine(dir, "signal.ogg");
            var alac = Path.Combine(dir, "signal.m4a");
            RunFfmpeg(ffmpeg, "-y", "-v", "error", "-i", wav, "-c:a", "libvorbis", "-q:a", "5", ogg);
            RunFfmpeg(ffmpeg, "-y", "-v", "error", "-i", wav, "-c:a", "alac", "-sample_fmt", "s16p", alac);

            Measure(report, "MP3", () => Mp3Decoder.Open(mp3), ffmpeg, mp3);
            Measure(report, "FLAC", () => FlacDecoder.Open(flac), ffmpeg, flac);
            Measure(report, "Ogg Vorbis", () => OggVorbisDecoder.Open(ogg), ffmpeg, ogg);
            Measure(report, "ALAC (M4A)", () => Mp4Codecs.Open(alac), ffmpeg, alac);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static void Measure(Report report, string format, Func<IAudioSource> open, string ffmpeg, string file)
    {
        var decodeOnly = Report.Best(3, () => Drain(open()));
        var ours = Report.Best(3, () =>
        {
            using var source = open();
            using var mono = new MonoDownmixSource(source);
            Drain(new ResampledSource(mono, 16000, ResampyFilter.KaiserBest, ResampyVersion.V0_4_2));
        });
        var fast = Report.Best(3, () =>
        {
            using var source = open();
            using var mono = new MonoDownmixSource(source);
            Drain(FastResampledSource.TryCreate(mono, 16000, ResampyFilter.KaiserBest, ResampyVersion.V0_4_2)!);
        });
        var theirs = Report.Best(3, () => RunFfmpeg(ffmpeg, "-v", "error", "-threads", "1", "-i", file, "-ac", "1", "-ar", "16000", "-f", "f32le", "-"));
        var theirDecode = Report.Best(3, () => RunFfmpeg(ffmpeg, "-v", "error", "-threads", "1", "-i", file, "-f", "f32le", "-"));
        report.Add($"{format} decode alone (managed)", $"{Seconds / decodeOnly.TotalSeconds:0}× realtime", $"one thread; {theirDecode.TotalSeconds / decodeOnly.TotalSeconds:0.00}× the speed of ffmpeg decoding alone");
        report.Add($"{format} decode alone (ffmpeg)", $"{Seconds / theirDecode.TotalSeconds:0}× realtime", "same-run reference: -threads 1 -f f32le, incl. process start");
        report.Add($"{format} decode+mono+16 kHz (managed)", $"{Seconds / ours.TotalSeconds:0}× realtime", $"resampy kaiser_best; {theirs.TotalSeconds / ours.TotalSeconds:0.00}× the speed of ffmpeg below");
        report.Add($"{format} decode+mono+16 kHz (managed, polyphase)", $"{Seconds / fast.TotalSeconds:0}× realtime", $"within 2e-6 of resampy; {theirs.TotalSeconds / fast.TotalSeconds:0.00}× the speed of ffmpeg");
        report.Add($"{format} decode+mono+16 kHz (ffmpeg)", $"{Seconds / theirs.TotalSeconds:0}× realtime", "same-run reference, -threads 1, its default resampler, incl. process start");
    }

    private static void Drain(IAudioSource source)
    {
        using (source)
        {
            var block = new float[16384];
            while (source.Read(block) > 0) { }
        }
    }

    private static void RunFfmpeg(string ffmpeg, params string[] args)
    {
        var psi = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.BaseStream;
        var sink = new byte[1 << 16];
        var errTask = p.StandardError.ReadToEndAsync();
        while (stdout.Read(sink, 0, sink.Length) > 0) { }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {errTask.Result}");
    }

    private static string? FindFfmpeg() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg"))
            .FirstOrDefault(File.Exists);
}
