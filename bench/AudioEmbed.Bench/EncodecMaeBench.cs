using System.Text.Json.Nodes;
using AudioEmbed.Core.Checkpoints.Safetensors;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// Full-size EnCodecMAE (the real gin configuration and key list from ../shared/fixtures/encodecmae, random
/// weights) on 60 s of 24 kHz audio on CPU: x realtime and achieved GFLOP/s beside the same-run GEMM rate; and the
/// Kaldi fbank front end alone on one core (with base: the front end is the same for every size).
/// </summary>
internal static class EncodecMaeBench
{
    public static void RunBase(Report report, double gemmGflops) => Run(report, gemmGflops, "EnCodecMAE-base", "real_base", measureFbank: true);

    /// <summary>mel256-ec-large_st: 20 layers of 1024.</summary>
    public static void RunLarge(Report report, double gemmGflops) => Run(report, gemmGflops, "EnCodecMAE-large", "real_large", measureFbank: false);

    /// <param name="fixture">real_base or real_large: the prefix of the _config.gin and _state_dict.json pair.</param>
    private static void Run(Report report, double gemmGflops, string label, string fixture, bool measureFbank)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"audioembed-bench-{label.ToLowerInvariant()}-{Environment.ProcessId}");
        try
        {
            var variantName = fixture == "real_large" ? "mel256-ec-large_st" : "mel256-ec-base_st";
            if (RandomModels.InstalledEncodecMae(dir, fixture, variantName) is not var (model, config)) { report.Add(label, "skipped", "../shared/fixtures/encodecmae not found"); return; }
            var onnx = model.OnnxPath;

            const double Seconds = 60;
            var stereo = Signals.Stereo(24000, Seconds);
            var mono = new float[stereo.Length / 2];
            for (int i = 0; i < mono.Length; i++) mono[i] = stereo[2 * i];

            if (measureFbank)
            {
                var fbank = new AudioEmbed.Core.Dsp.KaldiFbank(config.FbankOptions);
                var fbankTime = Report.Best(3, () => fbank.Compute(mono));
                report.Add("Kaldi fbank (EnCodecMAE mel256), one core", $"{Seconds / fbankTime.TotalSeconds:0}× realtime", "");
            }

            var extractor = new EncodecMaeExtractor(onnx, ExecutionDevice.Cpu, 0);
            LayerRows rows = null!;
            var time = Report.Best(1, () => rows = extractor.Extract(new ArraySource(mono, 24000), "last", new EmbeddingRequest { Model = "EnCodecMAE" }, CancellationToken.None));
            // Per frame (75/s): post-net, per layer q/k/v/o + feed-forward + attention over a 300-frame chunk.
            int d = config.ModelDim, ff = config.FeedForwardDim, width = config.AttentionWidth;
            double perFrame = 256.0 * d + config.EncoderLayers * (3.0 * d * width + width * d + 2.0 * d * ff + 2.0 * 300 * width);
            double flops = 2 * perFrame * rows.RowCount;
            report.Add($"{label} on 60 s (CPU)", $"{Seconds / time.TotalSeconds:0.0}× realtime", $"{time.TotalSeconds:0.0} s, {rows.RowCount} frames");
            report.Add($"{label} achieved compute", $"{flops / time.TotalSeconds / 1e9:0.0} GFLOP/s", $"{flops / time.TotalSeconds / 1e9 / gemmGflops:P0} of the same-run GEMM rate");
            if (measureFbank) // base: the folder of songs end to end, 1 and 2 workers
            {
                var store = new ModelStore(Path.Combine(dir, "home"), ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json")));
                FolderBench.Run(report, label, new EmbeddingEngine(store), model, new EmbeddingRequest { Model = "EnCodecMAE" }, Path.Combine(dir, "songs"), 20, 15);
            }
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
