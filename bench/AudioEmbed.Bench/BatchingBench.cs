using System.Diagnostics;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Models.MusiCNN;
using AudioEmbed.Core.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Bench;

/// <summary>
/// Would batching several files' patches/chunks into one ONNX Run be faster than running each file's own? The
/// model alone (the shipped session options), on the exact run shapes a folder of short songs gives: each file's
/// runs as the extractors make them today, against the same patches/chunks packed into full batches across files.
/// Decoding and features are the same work either way, so this ratio bounds what cross-file batching could gain.
/// <c>-- batching</c>; not part of "all".
/// </summary>
internal static class BatchingBench
{
    public static void Run(Report report)
    {
        var dir = Path.Combine(Path.GetTempPath(), "audioembed-bench-batching-" + Environment.ProcessId);
        try
        {
            Musicnn(report, dir);
            if (RandomModels.InstalledMert(Path.Combine(dir, "mert"), "real_95M_state_dict.json", "MERT-v1-95M") is var (mert, mertConfig))
            {
                var (session, _) = SessionFactory.Get(mert.OnnxPath, ExecutionDevice.Cpu);
                string output = MertLayer.Numbered(mertConfig.Layers).LastOutput;
                int chunk = 5 * 24000;
                // 8 songs of 15 s = 3 chunks of 5 s each: one chunk per run (MertExtractor's default) or 4 per run across files.
                Compare(report, "MERT-95M, 8 songs of 15 s (3 chunks of 5 s)", session, MertGraph.InputName, output,
                    PerFile(8, new[] { 1, 1, 1 }, n => new long[] { n, chunk }), Packed(24, 4, n => new long[] { n, chunk }), chunk, 2);
            }
            if (RandomModels.InstalledEncodecMae(Path.Combine(dir, "ecmae"), "real_base", "mel256-ec-base_st") is var (ecmae, ecConfig))
            {
                var (session, _) = SessionFactory.Get(ecmae.OnnxPath, ExecutionDevice.Cpu);
                string output = ecConfig.PostnormLastActivation ? EncodecMaeGraph.LastOutput : EncodecMaeGraph.LayerOutput(ecConfig.EncoderLayers - 1);
                int frames = ecConfig.FramesPerChunk, tail = new Core.Dsp.KaldiFbank(ecConfig.FbankOptions).FrameCount(3 * ecConfig.SampleRate), mel = ecConfig.MelBins;
                // 8 songs of 15 s = 3 full chunks of 4 s (one run, as the extractor batches them) + a 3-s tail (its own run, any batching).
                var perFile = Enumerable.Range(0, 8).SelectMany(_ => new[] { new long[] { 3, frames, mel }, new long[] { 1, tail, mel } }).ToList();
                var packed = Packed(24, 4, n => new long[] { n, frames, mel }).Concat(Enumerable.Range(0, 8).Select(_ => new long[] { 1, tail, mel })).ToList();
                Compare(report, "EnCodecMAE-base, 8 songs of 15 s (3 chunks of 4 s + 3-s tail)", session, EncodecMaeGraph.InputName, output, perFile, packed, frames * mel, 2);
            }
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static void Musicnn(Report report, string dir)
    {
        var h5 = Paths.Shared() is { } shared ? Path.Combine(shared, "models", "musicnn", "MTT_musicnn.h5") : null;
        if (h5 is null || !File.Exists(h5)) { report.Add("MusiCNN batching", "skipped", "../shared/models/musicnn not found"); return; }
        Directory.CreateDirectory(dir);
        var onnx = Path.Combine(dir, "musicnn.onnx");
        using (var ck = KerasH5Checkpoint.Open(h5)) File.WriteAllBytes(onnx, MusicnnGraph.Build(ck).ToBytes());
        var (session, _) = SessionFactory.Get(onnx, ExecutionDevice.Cpu);
        long[] Shape(int n) => new long[] { n, MusicnnPatcher.PatchFrames, MusicnnPatcher.MelBands };
        // MusicnnExtractor runs up to 8 patches of a file at a time; 10 s = 3 patches, 30 s = 10 (8 + 2).
        Compare(report, "MusiCNN, 20 songs of 10 s (3 patches)", session, "patches", "max_pool",
            PerFile(20, new[] { 3 }, Shape), Packed(60, 8, Shape), MusicnnPatcher.PatchValues, 3);
        Compare(report, "MusiCNN, 20 songs of 30 s (10 patches)", session, "patches", "max_pool",
            PerFile(20, new[] { 8, 2 }, Shape), Packed(200, 8, Shape), MusicnnPatcher.PatchValues, 3);
    }

    private static List<long[]> PerFile(int files, int[] runsPerFile, Func<int, long[]> shape) =>
        Enumerable.Range(0, files).SelectMany(_ => runsPerFile.Select(shape)).ToList();

    private static List<long[]> Packed(int items, int batch, Func<int, long[]> shape) =>
        Enumerable.Range(0, (items + batch - 1) / batch).Select(i => shape(Math.Min(batch, items - i * batch))).ToList();

    /// <summary>Both run lists, interleaved rounds, best of each; inputs are random (the time does not depend on the values).</summary>
    private static void Compare(Report report, string what, InferenceSession session, string input, string output,
        List<long[]> perFile, List<long[]> packed, int valuesPerItem, int rounds)
    {
        long largest = perFile.Concat(packed).Max(s => s.Aggregate(1L, (a, b) => a * b));
        var rng = new Random(5);
        var data = new float[largest];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        double Pass(List<long[]> runs)
        {
            var clock = Stopwatch.StartNew();
            foreach (var shape in runs)
            {
                long size = shape.Aggregate(1L, (a, b) => a * b);
                using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.AsMemory(0, (int)size), shape);
                using var result = session.Run(new RunOptions(), new[] { input }, new[] { value }, new[] { output });
            }
            return clock.Elapsed.TotalMilliseconds;
        }
        Pass(perFile); Pass(packed);
        double a = double.MaxValue, b = double.MaxValue;
        for (int i = 0; i < rounds; i++) { a = Math.Min(a, Pass(perFile)); b = Math.Min(b, Pass(packed)); }
        report.Add($"{what}: per-file runs", $"{a:0} ms", $"{perFile.Count} runs");
        report.Add($"{what}: packed across files", $"{b:0} ms", $"{packed.Count} runs; {a / b:0.00}× the per-file speed");
    }
}
