using System.Diagnostics;
using System.Text.Json;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Models.MusiCNN;
using AudioEmbed.Core.Store;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Bench;

/// <summary>
/// Where MusiCNN's end-to-end time goes on the 60-s 44.1 kHz stereo WAV: decode + mono + 16 kHz alone, plus the
/// log-mel patches, the model alone on those patches, and ONNX Runtime's own per-operator profile of that run.
/// <c>-- musicnn-profile [other.onnx ...]</c> also times the given MusiCNN graphs beside the freshly converted one
/// (for A/B of converter changes); not part of "all" (a diagnostic, not a figure).
/// </summary>
internal static class MusicnnProfile
{
    public static void Run(Report report, IEnumerable<string> compareOnnx)
    {
        var shared = Paths.Shared();
        if (shared is null) { report.Add("MusiCNN profile", "skipped", "../shared not found"); return; }
        var home = Path.Combine(Path.GetTempPath(), "audioembed-bench-prof-" + Environment.ProcessId);
        try
        {
            var store = new ModelStore(home, ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json")));
            var model = store.Install(new InstallRequest("MusiCNN") { Variant = "MTT_musicnn", SourcePath = Path.Combine(shared, "models", "musicnn", "MTT_musicnn.h5") }, null, CancellationToken.None);
            var wav = Path.Combine(home, "bench.wav");
            WavFile.Write(wav, Signals.Stereo(44100, 60), 44100, 2);

            var pump = Report.Best(3, () => Pump(wav, null));
            var patches = new List<float[]>();
            var features = Report.Best(3, () => { patches.Clear(); Pump(wav, patches); });
            report.Add("decode+mono+16 kHz", $"{pump.TotalMilliseconds:0} ms", "one thread");
            report.Add("… + log-mel patches", $"{features.TotalMilliseconds:0} ms", $"{patches.Count} patches");

            var input = new float[patches.Count * MusicnnPatcher.PatchValues];
            for (int i = 0; i < patches.Count; i++) patches[i].CopyTo(input, i * MusicnnPatcher.PatchValues);
            var graphs = new[] { ("converted", model.OnnxPath) }.Concat(compareOnnx.Select(f => (Path.GetFileName(f), f))).ToList();
            foreach (var (graph, path) in graphs)
            foreach (var (options, optionsName) in Variants())
            {
                string name = $"{graph}, {optionsName}";
                using var session = new InferenceSession(path, options);
                foreach (int batch in new[] { 4, 8, 20 })
                {
                    var t = Report.Best(3, () => RunAll(session, input, patches.Count, batch));
                    report.Add($"model alone, {name}, batch {batch}", $"{t.TotalMilliseconds:0} ms", "");
                }
            }
            foreach (var (graph, path) in graphs) OperatorProfile(report, graph, path, input, patches.Count);
        }
        finally
        {
            try { Directory.Delete(home, true); } catch (IOException) { }
        }
    }

    private static void Pump(string wav, List<float[]>? patches)
    {
        using var audio = AudioFile.Open(wav, DecoderOptions.Default, CancellationToken.None);
        var frontend = patches is null ? null : new MusicnnFrontendStream();
        MonoResampledReader.Pump(audio, new Core.Audio.Resampling.ResampleRecipe(16000) { Length = Core.Audio.Resampling.OutputLength.LibrosaFixLength }, block => frontend?.Push(block, patches!), CancellationToken.None);
        frontend?.Complete(patches!);
    }

    private static IEnumerable<(SessionOptions, string)> Variants()
    {
        SessionOptions Make(Action<SessionOptions> edit)
        {
            var o = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = Environment.ProcessorCount };
            edit(o);
            return o;
        }
        yield return (Make(_ => { }), "as shipped");
        yield return (Make(o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED), "extended opt");
        
        
    }

    private static void RunAll(InferenceSession session, float[] input, int count, int batch)
    {
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                input.AsMemory(start * MusicnnPatcher.PatchValues, n * MusicnnPatcher.PatchValues), new long[] { n, MusicnnPatcher.PatchFrames, MusicnnPatcher.MelBands });
            using var r = session.Run(new RunOptions(), new[] { "patches" }, new[] { value }, new[] { "max_pool" });
        }
    }

    /// <summary>ONNX Runtime's profiler over a few runs of all patches in batches of 8: time per operator type and the slowest nodes.</summary>
    private static void OperatorProfile(Report report, string graph, string onnx, float[] input, int count)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = Environment.ProcessorCount };
        options.EnableProfiling = true;
        options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), "audioembed-prof-" + Environment.ProcessId);
        string file;
        using (var session = new InferenceSession(onnx, options))
        {
            for (int i = 0; i < 4; i++) RunAll(session, input, count, 8);
            file = session.EndProfiling();
        }
        var byOp = new Dictionary<string, double>();
        var byNode = new Dictionary<string, double>();
        using (var doc = JsonDocument.Parse(File.ReadAllText(file)))
        {
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.GetProperty("cat").GetString() != "Node" || !e.GetProperty("name").GetString()!.EndsWith("_kernel_time")) continue;
                double us = e.GetProperty("dur").GetDouble();
                string op = e.GetProperty("args").GetProperty("op_name").GetString()!;
                string node = e.GetProperty("name").GetString()!.Replace("_kernel_time", "");
                byOp[op] = byOp.GetValueOrDefault(op) + us;
                byNode[node + " (" + op + ")"] = byNode.GetValueOrDefault(node + " (" + op + ")") + us;
            }
        }
        File.Delete(file);
        double total = byOp.Values.Sum();
        report.Add($"{graph}: operator kernels", $"{total / 4000:0} ms/pass", "sum of kernel times");
        foreach (var (op, us) in byOp.OrderByDescending(p => p.Value).Take(8))
            report.Add($"  op {op}", $"{us / 4000:0.0} ms", $"{us / total:P0}");
        foreach (var (node, us) in byNode.OrderByDescending(p => p.Value).Take(10))
            report.Add($"  node {node}", $"{us / 4000:0.0} ms", $"{us / total:P0}");
    }
}
