using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Bench;

/// <summary>
/// Dynamic int8 against float32 for the transformer models on the CPU: MERT-95M and EnCodecMAE-base at full size
/// with random weights (the real checkpoints are not reachable offline), each converted twice from the same
/// checkpoint. Speed: x realtime on 60 s, float32 and int8 runs in back-to-back pairs after a warm-up each; the
/// speed-up is the median pair ratio (robust to other load on a shared machine).
/// Agreement: the two real MP3 songs of ../shared/audio through both, the cosine similarity of the mean-pooled
/// last layer and the minimum over all layers. Random weights have no trained outliers, so real checkpoints may
/// agree less well: these cosines are an upper bound to confirm on real weights before trusting Int8.
/// </summary>
internal static class Int8Bench
{
    private const double Seconds = 60;
    private const int Repeats = 5;

    /// <param name="mert330M">MERT-v1-330M alone (minutes more) instead of MERT-95M and EnCodecMAE-base.</param>
    public static void Run(Report report, bool mert330M = false)
    {
        var shared = Paths.Shared();
        if (shared is null) { report.Add("int8", "skipped", "../shared not found"); return; }
        var songs = Directory.GetFiles(Path.Combine(shared, "audio"), "*.mp3").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        report.Add("int8: weights", "RANDOM", "full-size real layouts, random weights (real checkpoints unreachable offline)");
        var signal = Mono(Signals.Stereo(24000, Seconds));

        var dir = Path.Combine(Path.GetTempPath(), "audioembed-bench-int8-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var (mertConfig, mert) = RandomModels.Mert(dir, mert330M ? "real_330M_state_dict.json" : "real_95M_state_dict.json", true, Precision.Float32, Precision.Int8)!.Value;
            Compare(report, mert330M ? "MERT-330M" : "MERT-95M", mertConfig.HiddenSize, signal, songs, "Mert", mert.Select(p => new MertExtractor(p, ExecutionDevice.Cpu, 0)).ToArray<IEmbeddingExtractor>(),
                mert.Select(p => new FileInfo(p).Length).ToArray());
            foreach (var p in mert) File.Delete(p);
            if (mert330M) return;

            var (ecmaeConfig, ecmae) = RandomModels.EncodecMae(dir, "real_base", true, Precision.Float32, Precision.Int8)!.Value;
            Compare(report, "EnCodecMAE-base", ecmaeConfig.ModelDim, signal, songs, "EnCodecMAE", ecmae.Select(p => new EncodecMaeExtractor(p, ExecutionDevice.Cpu, 0)).ToArray<IEmbeddingExtractor>(),
                ecmae.Select(p => new FileInfo(p).Length).ToArray());
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <param name="dim">Width of one layer: "all" rows hold every layer's frame one after another.</param>
    /// <param name="extractors">float32 first, int8 second.</param>
    private static void Compare(Report report, string name, int dim, float[] signal, string[] songs, string model, IEmbeddingExtractor[] extractors, long[] sizes)
    {
        var request = new EmbeddingRequest { Model = model };
        var best = new[] { TimeSpan.MaxValue, TimeSpan.MaxValue };
        var ratios = new double[Repeats];
        for (int e = 0; e < 2; e++) extractors[e].Extract(new ArraySource(signal, 24000), "last", request, CancellationToken.None); // warm-up
        for (int r = 0; r < Repeats; r++)
        {
            var pair = new TimeSpan[2];
            for (int e = 0; e < 2; e++)
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                extractors[e].Extract(new ArraySource(signal, 24000), "last", request, CancellationToken.None);
                pair[e] = sw.Elapsed;
                if (pair[e] < best[e]) best[e] = pair[e];
            }
            ratios[r] = pair[0] / pair[1];
        }
        Array.Sort(ratios);
        report.Add($"{name} float32 on 60 s", $"{Seconds / best[0].TotalSeconds:0.0}× realtime", $"best {best[0].TotalSeconds:0.00} s; model {sizes[0] / 1048576.0:0} MB");
        report.Add($"{name} int8 on 60 s", $"{Seconds / best[1].TotalSeconds:0.0}× realtime", $"best {best[1].TotalSeconds:0.00} s; model {sizes[1] / 1048576.0:0} MB");
        // On a shared machine the best times may come from different quiet moments; back-to-back pairs see the same load.
        report.Add($"{name} int8 speed-up", $"{ratios[Repeats / 2]:0.00}×",
            $"median of {Repeats} back-to-back pairs (range {ratios[0]:0.00}–{ratios[^1]:0.00}); ratio of bests {best[0] / best[1]:0.00}×; criterion ≥ 1.5×");

        foreach (var songPath in songs)
        {
            var pooled = new float[2][][];
            var all = new LayerRows[2];
            for (int e = 0; e < 2; e++)
            {
                using var audio = AudioFile.Open(songPath);
                all[e] = extractors[e].Extract(audio, "all", request, CancellationToken.None);
                pooled[e] = PerLayer(Pooler.Mean(all[e].Rows, all[e].RowCount, all[e].Dimension), dim);
            }
            var cosines = pooled[0].Zip(pooled[1], Cosine).ToArray();
            string song = Path.GetFileNameWithoutExtension(songPath);
            report.Add($"{name} int8 vs float32, {song}", $"cos {cosines[^1]:0.000000}",
                $"pooled last layer; min over {cosines.Length} layers {cosines.Min():0.000000} (layer {Array.IndexOf(cosines, cosines.Min())}); criterion ≥ 0.999");
            // Frame by frame (no averaging to hide behind): the last layer's rows of each frame.
            int frames = all[0].RowCount, width = all[0].Dimension;
            var frameCos = Enumerable.Range(0, frames).Select(f =>
                Cosine(all[0].Rows.AsSpan(f * width + width - dim, dim).ToArray(), all[1].Rows.AsSpan(f * width + width - dim, dim).ToArray())).ToArray();
            report.Add($"{name} int8 vs float32, {song}, per frame", $"mean {frameCos.Average():0.00000}", $"last layer, min {frameCos.Min():0.00000} over {frames} frames");
        }
    }

    private static float[][] PerLayer(float[] pooled, int dim) =>
        Enumerable.Range(0, pooled.Length / dim).Select(l => pooled.AsSpan(l * dim, dim).ToArray()).ToArray();

    private static double Cosine(float[] a, float[] b) => Similarity.Cosine(a, b);

    private static float[] Mono(float[] stereo)
    {
        var mono = new float[stereo.Length / 2];
        for (int i = 0; i < mono.Length; i++) mono[i] = stereo[2 * i];
        return mono;
    }
}
