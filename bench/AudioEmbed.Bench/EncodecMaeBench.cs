using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// Full-size EnCodecMAE base (random weights, real configuration: <see cref="RandomModels"/>) on CPU: 60 s of 24 kHz
/// audio for x realtime and achieved GFLOP/s beside the same-run GEMM rate; the Kaldi fbank front end alone on one
/// core; and a folder of 20 songs of 15 s end to end with 1 and 2 workers and the peak working set.
/// </summary>
internal static class EncodecMaeBench
{
    public static void Run(Report report, double gemmGflops)
    {
        var dir = Path.Combine(Path.GetTempPath(), "audioembed-bench-ecmae-" + Environment.ProcessId);
        try
        {
            if (RandomModels.EncodecMae(dir) is not var (model, config)) { report.Add("EnCodecMAE-base", "skipped", "../shared/fixtures/encodecmae not found"); return; }
            const double Seconds = 60;
            var mono = Signals.Mono(24000, Seconds);

            var fbank = new AudioEmbed.Core.Dsp.KaldiFbank(config.FbankOptions);
            var fbankTime = Report.Best(3, () => fbank.Compute(mono));
            report.Add("Kaldi fbank (EnCodecMAE mel256), one core", $"{Seconds / fbankTime.TotalSeconds:0}× realtime", "");

            var extractor = new EncodecMaeExtractor(model.OnnxPath, ExecutionDevice.Cpu, 0);
            LayerRows rows = null!;
            var time = Report.Best(1, () => rows = extractor.Extract(new ArraySource(mono, 24000), "last", new EmbeddingRequest { Model = "EnCodecMAE" }, CancellationToken.None));
            // Per frame (75/s): post-net, per layer q/k/v/o + feed-forward + attention over a 300-frame chunk.
            int d = config.ModelDim, ff = config.FeedForwardDim, width = config.AttentionWidth;
            double perFrame = 256.0 * d + config.EncoderLayers * (3.0 * d * width + width * d + 2.0 * d * ff + 2.0 * 300 * width);
            double flops = 2 * perFrame * rows.RowCount;
            report.Add("EnCodecMAE-base on 60 s (CPU)", $"{Seconds / time.TotalSeconds:0.0}× realtime", $"{time.TotalSeconds:0.0} s, {rows.RowCount} frames");
            report.Add("EnCodecMAE-base achieved compute", $"{flops / time.TotalSeconds / 1e9:0.0} GFLOP/s", $"{flops / time.TotalSeconds / 1e9 / gemmGflops:P0} of the same-run GEMM rate");

            var store = new ModelStore(Path.Combine(dir, "home"), ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json")));
            FolderBench.Run(report, "EnCodecMAE-base", new EmbeddingEngine(store), model, new EmbeddingRequest { Model = "EnCodecMAE" }, Path.Combine(dir, "songs"), 20, 15);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
