using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// MusiCNN end to end (WAV decode → downmix → resample → frontend → model → pooling) on 60 s of 44.1 kHz stereo,
/// with the checkpoint installed from ../shared/models/musicnn. Achieved GFLOP/s counts the convolutions and
/// dense layers of the musicnn graph (≈ 2.9 GFLOP per 3-s patch) against the same-run GEMM rate.
/// </summary>
internal static class MusicnnBench
{
    // Multiply-adds per patch, from the layer shapes in ARCHITECTURE.md (×2 = FLOP).
    private static readonly double FlopPerPatch = 2.0 * (
        204.0 * 7 * 38 * 187 * 59 + 204.0 * 7 * 67 * 187 * 30 +          // timbral branches
        51.0 * 187 * 96 * (128 + 64 + 32) +                              // temporal branches
        64.0 * 7 * 187 * (561 + 64 + 64) +                               // mid-end
        1506.0 * 200 + 200.0 * 50);                                      // back-end

    public static void Run(Report report, double gemmGflops)
    {
        var shared = Paths.Shared();
        if (shared is null || !Directory.Exists(Path.Combine(shared, "models", "musicnn"))) { report.Add("MusiCNN", "skipped", "../shared/models/musicnn not found"); return; }
        var home = Path.Combine(Path.GetTempPath(), "audioembed-bench-" + Environment.ProcessId);
        try
        {
            var catalog = ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json"));
            var store = new ModelStore(home, catalog);
            var model = store.Install(new InstallRequest("MusiCNN") { Variant = "MTT_musicnn", SourcePath = Path.Combine(shared, "models", "musicnn", "MTT_musicnn.h5") }, null, CancellationToken.None);
            var wav = Path.Combine(home, "bench.wav");
            WavFile.Write(wav, Signals.Stereo(44100, 60), 44100, 2);
            var engine = new EmbeddingEngine(store);
            var request = new EmbeddingRequest { Model = "MusiCNN", Device = ExecutionDevice.Cpu };
            AudioEmbedding? e = null;
            var t = Report.Best(3, () => e = engine.Embed(wav, model, request, CancellationToken.None));
            double gflops = FlopPerPatch * e!.Patches / t.TotalSeconds / 1e9;
            report.Add("MusiCNN end to end, 60 s file", $"{60 / t.TotalSeconds:0}× realtime", $"{t.TotalMilliseconds:0} ms, {e.Patches} patches");
            report.Add("MusiCNN achieved compute", $"{gflops:0.0} GFLOP/s", $"{gflops / gemmGflops:P0} of the same-run GEMM rate");

            FolderBench.Run(report, "MusiCNN", engine, model, request, Path.Combine(home, "songs"), 20, 30);
        }
        finally
        {
            try { Directory.Delete(home, true); } catch (IOException) { }
        }
    }
}
