using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Output;

namespace AudioEmbed.Bench;

/// <summary>
/// 44.1 kHz → 24 kHz on one core, the three resamplers in the same run on real songs (decoded at 44.1 kHz, mono, held
/// in memory so decoding is not timed): soxr HQ (EnCodecMAE's librosa), torchaudio (the MERT model card)
/// and our resampy kaiser_best paths (polyphase and the exact loop). Figures in × realtime, and each as a ratio to
/// the resampy polyphase path measured here.
/// </summary>
internal static class Resample24kBench
{
    public static void Run(Report report)
    {
        var (mono, name) = LoadSong();
        double seconds = mono.Length / 44100.0;
        IAudioSource Input() => new ArraySource(mono, 44100);

        var resampy = Measure(8, () => Drain(FastResampledSource.TryCreate(Input(), 24000, ResampyFilter.KaiserBest, ResampyVersion.V0_4_2, fixLength: true)!));
        var exact = Measure(2, () => Drain(new ResampledSource(Input(), 24000, ResampyFilter.KaiserBest, ResampyVersion.V0_4_2, fixLength: true)));
        var soxr = Measure(8, () => Drain(Resamplers.SoxrHq(Input(), 24000)));
        var torch = Measure(8, () => Drain(Resamplers.Torchaudio(Input(), 24000)));

        // Two figures each: CPU time (what one core does, whatever else runs on the machine) and wall clock.
        string Rt((TimeSpan Cpu, TimeSpan Wall) t) => $"{seconds / t.Cpu.TotalSeconds:0}× realtime";
        string Vs((TimeSpan Cpu, TimeSpan Wall) t) =>
            $"{resampy.Cpu.TotalSeconds / t.Cpu.TotalSeconds:0.00}× the resampy polyphase path; wall clock {seconds / t.Wall.TotalSeconds:0}× realtime";
        report.Add("resample 44.1k→24k, soxr HQ", Rt(soxr), $"{Vs(soxr)}; {Resamplers.DescribeSoxrHq(44100, 24000)}");
        report.Add("resample 44.1k→24k, torchaudio", Rt(torch), Vs(torch));
        report.Add("resample 44.1k→24k, resampy polyphase", Rt(resampy), $"{Vs(resampy)}; FastResampledSource, kaiser_best (the reference of the ratios)");
        report.Add("resample 44.1k→24k, resampy exact", Rt(exact), $"{Vs(exact)}; ResampledSource, bit-identical to resampy");
        report.Add("  (input)", $"{seconds:0} s", $"{name}, one thread; × realtime from the process CPU time, best of 5 runs after a warm-up");
    }

    /// <summary>
    /// Best CPU time and best wall time of five runs after a warm-up, each run doing the work <paramref name="passes"/>
    /// times (the process CPU clock ticks in milliseconds); single-threaded work, so CPU time is one core's.
    /// </summary>
    private static (TimeSpan Cpu, TimeSpan Wall) Measure(int passes, Action once)
    {
        once();
        void action() { for (int p = 0; p < passes; p++) once(); }
        var process = System.Diagnostics.Process.GetCurrentProcess();
        TimeSpan bestCpu = TimeSpan.MaxValue, bestWall = TimeSpan.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            action();
            var wall = sw.Elapsed;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpu0;
            if (cpu < bestCpu) bestCpu = cpu;
            if (wall < bestWall) bestWall = wall;
        }
        return (bestCpu / passes, bestWall / passes);
    }

    /// <summary>The two real songs of ../shared/fixtures/resample24k/inputs (decoded by ffmpeg at 44.1 kHz, mono), back to back.</summary>
    private static (float[] Mono, string Name) LoadSong()
    {
        var shared = Paths.Shared();
        var folder = shared is null ? null : Path.Combine(shared, "fixtures", "resample24k", "inputs");
        if (folder is null || !Directory.Exists(folder))
            return (Downmix.ToMono(Signals.Stereo(44100, 30), 2), "synthetic stereo (../shared absent)");
        var songs = new[] { "joram.npy", "TRWJAZW128F42760DD.npy" }.Select(f => NpyReader.Read(Path.Combine(folder, f)).ToFloat32()).ToArray();
        return (songs.SelectMany(s => s).ToArray(), "two real songs (resample24k inputs)");
    }

    private static void Drain(IAudioSource source)
    {
        using (source)
        {
            var block = new float[16384];
            while (source.Read(block) > 0) { }
        }
    }
}
