using System.Diagnostics;
using AudioEmbed.Core.Audio.Aac;

namespace AudioEmbed.Bench;

/// <summary>
/// AAC-LC decoding: the managed decoder (ADTS parsing + decode to interleaved float, one thread) beside ffmpeg's native
/// float decoder on the same file in the same run (<c>ffmpeg -threads 1 -c:a aac -i f -f f32le -</c>, including its
/// process start and the pipe). Files: a 60-s 44.1-kHz stereo test signal at 128 kb/s, and the real songs of
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
        double seconds = 0;
        var ours = Report.Best(7, () =>
        {
            var reader = new AdtsFrameReader(bytes, file);
            var decoder = new AacDecoder(reader.AudioSpecificConfig, file);
            var block = new float[AacDecoder.FrameLength * decoder.Channels];
            long frames = 0;
            while (reader.TryReadFrame(out var au)) frames += decoder.Decode(au.Span, block);
            seconds = (double)frames / decoder.SampleRate;
        });
        // ffmpeg's own -benchmark line gives the real time of its decode loop without the process start-up.
        double loop = double.MaxValue;
        var theirs = Report.Best(5, () =>
        {
            var err = RunFfmpeg(ffmpeg, "-benchmark", "-threads", "1", "-c:a", "aac", "-i", file, "-f", "f32le", "-");
            var m = System.Text.RegularExpressions.Regex.Match(err, @"rtime=([0-9.]+)s");
            if (m.Success) loop = Math.Min(loop, double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        });
        report.Add($"AAC-LC decode, {name} (managed)", $"{seconds / ours.TotalSeconds:0}× realtime",
            $"{theirs.TotalSeconds / ours.TotalSeconds:0.00}× ffmpeg's speed as a process, {loop / ours.TotalSeconds:0.00}× its decode loop alone; one thread, ADTS parsing included");
        report.Add($"AAC-LC decode, {name} (ffmpeg process)", $"{seconds / theirs.TotalSeconds:0}× realtime", "same-run reference, -threads 1, float decoder, incl. process start");
        report.Add($"AAC-LC decode, {name} (ffmpeg decode loop)", $"{seconds / loop:0}× realtime", "the same runs' -benchmark rtime: start-up excluded");
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
