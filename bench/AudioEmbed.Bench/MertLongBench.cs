using System.Diagnostics;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// MERT-95M's memory on a long file, through the path Get-AudioEmbedding takes: a 20-minute 44.1 kHz stereo 16-bit
/// WAV file → <see cref="EmbeddingEngine.Embed"/> (decode, downmix, resample to 24 kHz, 5-s chunks, pooled
/// embedding). The first run is cold (it loads the ONNX session, as a one-file command does); its peak resident
/// set is the figure to hold under 1.5 GB. Then -Layer All on the same file (13 hidden states per frame).
/// </summary>
internal static class MertLongBench
{
    public static void Run(Report report)
    {
        var dir = Path.Combine(Path.GetTempPath(), "audioembed-bench-mert-long-" + Environment.ProcessId);
        try
        {
            var installed = RandomMertModel.Install(Path.Combine(dir, "models", "mert", "MERT-v1-95M"), "real_95M_state_dict.json", "MERT-v1-95M");
            if (installed is null) { report.Add("MERT-95M 20-min file", "skipped", "../shared/fixtures/mert not found"); return; }
            var model = installed.Value.Model;
            const double Minutes = 20;
            var wav = Path.Combine(dir, "long.wav");
            WavFile.WritePcm16(wav, new StereoMusic(44100, Minutes * 60));

            var engine = new EmbeddingEngine(new ModelStore(dir, ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json"))));
            foreach (var layer in new[] { "last", MertLayer.Every })
            {
                var request = new EmbeddingRequest { Model = "Mert", Variant = "MERT-v1-95M", Layer = layer, Device = ExecutionDevice.Cpu };
                AudioEmbedding embedding;
                TimeSpan elapsed;
                using (var probe = new MemoryProbe())
                {
                    var clock = Stopwatch.StartNew();
                    embedding = engine.Embed(wav, model, request, CancellationToken.None);
                    elapsed = clock.Elapsed;
                    string name = $"MERT-95M 20-min WAV, -Layer {layer}{(layer == "last" ? " (cold: loads the session)" : "")}";
                    report.Add(name, $"{Minutes * 60 / elapsed.TotalSeconds:0.0}× realtime", $"{elapsed.TotalSeconds:0} s, {embedding.Patches} chunks, {embedding.Dimension}-d vector");
                    report.Add($"  peak resident set{(probe.PeakIsReset ? "" : " (whole process)")}", $"{probe.PeakWorkingSet / 1048576.0:0} MB",
                        $"from {probe.StartWorkingSet / 1048576.0:0} MB before; target < 1536 MB");
                    report.Add("  peak managed heap", $"{probe.PeakManaged / 1048576.0:0} MB", $"{probe.Allocated / 1048576.0:0} MB allocated during the run");
                }
                if (embedding.Vector.Any(v => !float.IsFinite(v))) throw new InvalidOperationException("non-finite embedding");
            }
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
