using System.Text.Json.Nodes;
using System.Diagnostics;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// Full-size MERT (random weights with the real configuration and key list from ../shared/fixtures/mert, see
/// <see cref="RandomModels"/>) on 60 s of 24 kHz audio on CPU: x realtime, achieved GFLOP/s beside the
/// same-run GEMM rate, and the process's peak working set.
/// </summary>
internal static class MertBench
{
    public static void Run95M(Report report, double gemmGflops) => Run(report, gemmGflops, "MERT-95M", "real_95M_state_dict.json", "MERT-v1-95M");

    /// <summary>MERT-v1-330M: 24 pre-LN layers of 1024; the converted model is about 1.3 GB.</summary>
    public static void Run330M(Report report, double gemmGflops) => Run(report, gemmGflops, "MERT-330M", "real_330M_state_dict.json", "MERT-v1-330M");

    private static void Run(Report report, double gemmGflops, string label, string stateDictFile, string variant)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"audioembed-bench-{label.ToLowerInvariant()}-{Environment.ProcessId}");
        try
        {
            var installed = RandomModels.InstalledMert(dir, stateDictFile, variant);
            if (installed is null) { report.Add(label, "skipped", "../shared/fixtures/mert not found"); return; }
            var (model, config) = installed.Value;
            var extractor = new MertExtractor(model.OnnxPath, ExecutionDevice.Cpu, 0);
            const double Seconds = 60;
            var audio = Signals.Stereo(24000, Seconds);
            var mono = new float[audio.Length / 2];
            for (int i = 0; i < mono.Length; i++) mono[i] = audio[2 * i];
            LayerRows rows = null!;
            var time = Report.Best(1, () => rows = extractor.Extract(new ArraySource(mono, 24000), "last", new EmbeddingRequest { Model = "Mert" }, CancellationToken.None));
            double flops = FlopsPerSecondOfAudio(config.HiddenSize, config.Layers, config.IntermediateSize) * Seconds;
            report.Add($"{label} on 60 s (CPU)", $"{Seconds / time.TotalSeconds:0.0}× realtime", $"{time.TotalSeconds:0.0} s, {rows.RowCount} frames");
            report.Add($"{label} achieved compute", $"{flops / time.TotalSeconds / 1e9:0.0} GFLOP/s", $"{flops / time.TotalSeconds / 1e9 / gemmGflops:P0} of the same-run GEMM rate");
            report.Add("peak working set so far", $"{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB", "whole benchmark process");
            if (variant == "MERT-v1-95M") // the folder of songs end to end, 1 and 2 workers (minutes for the 330M)
            {
                var store = new ModelStore(Path.Combine(dir, "home"), ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json")));
                FolderBench.Run(report, label, new EmbeddingEngine(store), model, new EmbeddingRequest { Model = "Mert" }, Path.Combine(dir, "songs"), 20, 15);
            }
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Multiply-adds ×2 per second of 24 kHz audio: the conv feature encoder (7 layers of 512 channels), the
    /// grouped positional conv, and per frame (75/s) the transformer's projections, feed-forward and attention
    /// over a 5-s chunk (374 frames).
    /// </summary>
    private static double FlopsPerSecondOfAudio(int d, int layers, int ff)
    {
        double conv = 512.0 * 10 * 4800;                                   // first conv: 1 → 512 channels
        foreach (var (k, frames) in new[] { (3, 2400), (3, 1200), (3, 600), (3, 300), (2, 150), (2, 75) }) conv += 512.0 * 512 * k * frames;
        double positional = (double)d * d / 16 * 128 * 75;
        double perFrame = layers * (4.0 * d * d + 2.0 * d * ff + 2.0 * 374 * d) + 512.0 * d;
        return 2 * (conv + positional + perFrame * 75);
    }
}
