using System.Diagnostics;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// End to end over a folder of generated songs (44.1 kHz stereo WAV), as Get-AudioEmbedding runs them: files per
/// minute with 1 and 2 workers (-ThrottleLimit) and the process's peak working set during each run. On Linux the
/// peak is reset before each run (/proc/self/clear_refs), so it is that run's peak, which includes what the process
/// still holds from earlier steps (the working set at the start is shown beside it); elsewhere it is the process's.
/// </summary>
internal static class FolderBench
{
    public static void Run(Report report, string label, EmbeddingEngine engine, InstalledModel model, EmbeddingRequest request,
        string folder, int songs, double seconds)
    {
        Directory.CreateDirectory(folder);
        var files = Enumerable.Range(0, songs).Select(i => Path.Combine(folder, $"song{i:00}.wav")).ToList();
        var song = Signals.Stereo(44100, seconds);
        foreach (var f in files) WavFile.Write(f, song, 44100, 2);
        engine.Embed(files[0], model, request, CancellationToken.None); // session and first-run allocations
        string what = $"{label}, {songs} songs of {seconds:0} s";
        double one = 0;
        foreach (int workers in new[] { 1, 2 })
        {
            bool reset = ResetPeak();
            long before = Process.GetCurrentProcess().WorkingSet64;
            var clock = Stopwatch.StartNew();
            var runner = new OrderedParallelRunner<string, AudioEmbedding>(workers, (f, ct) => engine.Embed(f, model, request, ct), CancellationToken.None);
            var done = files.SelectMany(runner.Add).Concat(runner.Drain()).ToList();
            double perMinute = done.Count / clock.Elapsed.TotalMinutes;
            if (done.FirstOrDefault(c => c.Error != null) is { Error: { } error }) throw new InvalidOperationException($"{what}: a file failed", error);
            long peak = Process.GetCurrentProcess().PeakWorkingSet64;
            if (workers == 1) one = perMinute;
            report.Add($"{what}, {workers} worker{(workers > 1 ? "s" : "")}", $"{perMinute:0.0} files/min",
                $"{perMinute * seconds / 60:0.0}× realtime{(workers > 1 ? $", {perMinute / one:0.00}× one worker" : "")}; peak working set {peak / 1048576.0:0} MB{(reset ? $" ({before / 1048576.0:0} MB at the start)" : " (whole process)")}");
        }
    }

    /// <summary>Linux: writing 5 to /proc/self/clear_refs resets the peak resident set (VmHWM) the next reading reports.</summary>
    private static bool ResetPeak()
    {
        // Aggressive: also returns the managed heap's free memory (e.g. left from converting the model) to the OS.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (!OperatingSystem.IsLinux()) return false;
        try { File.WriteAllText("/proc/self/clear_refs", "5"); return true; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }
}
