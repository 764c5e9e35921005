using System.Diagnostics;
using AudioEmbed.Core.Audio.Aac;

namespace AudioEmbed.Bench;

/// <summary>
/// AAC-LC decoding: the managed decoder (ADTS parsing + decode to interleaved float, one thread) beside ffmpeg's native
/// float decoder on the same file in the same run (<c>ffmpeg -benchmark -threads 1 -c:a aac -i f -f f32le -</c>).
/// The main ratio is in CPU time (ours: the process's CPU time around the decode; ffmpeg: its -benchmark utime + stime
/// of the decode loop), which a loaded machine disturbs far less than wall time; wall-time figures are given beside it. Files: a 60-s 44.1-kHz stereo test signal at 128 kb/s, and the real songs of
/// ../shared/audio transcoded to 44.1 kHz stereo 128 kb/s when present. Needs ffmpeg on PATH; skipped otherwise.
/// </summary>
internal static class AacBench
{
    public static void Run(Report report)
    {
        var ffmpeg = FindFfmpeg();
        if (ffmpeg is null) { report.Add("AAC decode", "skipped", "ffmpeg not found on PATH (apt-get install ffmpeg)"); return; }
        var dir = Path.Combine(Path.GetTempPath(), "audioembed-bench-aac-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var wav = Path.Combine(dir, "signal.wav");
            WavFile.Write(wav, Signals.Stereo(44100, 60), 44100, 2);
            var files = new List<(string Name, string Path)>();
            var signal = Path.Combine(dir, "signal.aac");
            RunFfmpeg(ffmpeg, "-y", "-v", "error", "-i", wav, "-c:a", "aac", "-b:a", "128k", "-f", "adts", signal);
            files.Add(("test signal 60 s", signal));
            var songs = Paths.Shared() is { } shared ? Path.Combine(shared, "audio") : "";
            if (Directory.Exists(songs))
                foreach (var song in Directory.GetFiles(songs).Where(f => f.EndsWith(".mp3") || f.EndsWith(".ogg")).Order())
                {
                    var aac = Path.Combine(dir, Path.GetFileNameWithoutExtension(song) + ".aac");
                    RunFfmpeg(ffmpeg, "-y", "-v", "error", "-i", song, "-ar", "44100", "-ac", "2", "-c:a", "aac", "-b:a", "128k", "-f", "adts", aac);
                    files.Add((Path.GetFileName(song), aac));
                }
            foreach (var (name, path) in files) Measure(report, name, path, ffmpeg);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static void Measure(Report report, string name, string file, string ffmpeg)
    {
        var bytes = File.ReadAllBytes(file);
        double seconds = Decode(bytes, file);
        // The process CPU clock ticks in 10 ms steps on Linux: decode the file enough times for >= 10 minutes of audio.
        int repeats = (int)Math.Ceiling(600 / seconds);
        double ourCpu = double.MaxValue;
        var ours = Report.Best(3, () =>
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            for (int r = 0; r < repeats; r++) Decode(bytes, file);
            ourCpu = Math.Min(ourCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / repeats);
        });
        ours /= repeats;
        // ffmpeg's -benchmark line: CPU time (user + system) and real time of its transcode loop, start-up excluded.
        double loopCpu = double.MaxValue, loopReal = double.MaxValue;
        var theirs = Report.Best(5, () =>
        {
            var err = RunFfmpeg(ffmpeg, "-benchmark", "-threads", "1", "-c:a", "aac", "-i", file, "-f", "f32le", "-");
            var m = System.Text.RegularExpressions.Regex.Match(err, @"utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");
            if (!m.Success) return;
            double Parse(int g) => double.Parse(m.Groups[g].Value, System.Globalization.CultureInfo.InvariantCulture);
            loopCpu = Math.Min(loopCpu, Parse(1) + Parse(2));
            loopReal = Math.Min(loopReal, Parse(3));
        });
        report.Add($"AAC-LC decode, {name} (managed)", $"{seconds / ourCpu:0}× realtime (CPU)",
            $"{loopCpu / ourCpu:0.00}× ffmpeg's decode loop in CPU time; wall {seconds / ours.TotalSeconds:0}×: {theirs.TotalSeconds / ours.TotalSeconds:0.00}× ffmpeg as a process; one thread, ADTS parsing included");
        report.Add($"AAC-LC decode, {name} (ffmpeg decode loop)", $"{seconds / loopCpu:0}× realtime (CPU)", $"same-run reference: -benchmark utime+stime, -threads 1, float decoder; its rtime {seconds / loopReal:0}×");
        report.Add($"AAC-LC decode, {name} (ffmpeg process)", $"{seconds / theirs.TotalSeconds:0}× realtime (wall)", "the same runs incl. process start, as the pipeline runs it");
    }

    /// <summary>Decodes the whole ADTS file; returns its duration in seconds.</summary>
    private static double Decode(byte[] bytes, string file)
    {
        var reader = new AdtsFrameReader(bytes, file);
        var decoder = new AacDecoder(reader.AudioSpecificConfig, file);
        var block = new float[AacDecoder.FrameLength * decoder.Channels];
        long frames = 0;
        while (reader.TryReadFrame(out var au)) frames += decoder.Decode(au.Span, block);
        return (double)frames / decoder.SampleRate;
    }

    private static string RunFfmpeg(string ffmpeg, params string[] args)
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
        return errTask.Result;
    }

    private static string? FindFfmpeg() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg"))
            .FirstOrDefault(File.Exists);
}
