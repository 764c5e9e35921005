using System.Diagnostics;
using System.Reflection;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// MERT-95M's memory on a long file, through the path Get-AudioEmbedding takes: a 20-minute 44.1 kHz stereo 16-bit
/// WAV file → <see cref="EmbeddingEngine.Embed"/> (decode, downmix, resample to 24 kHz, 5-s chunks, pooled
/// embedding). Each measurement runs in a fresh child process, as a one-file command would: it loads the ONNX
/// session (cold), and building the random model beforehand (gigabytes of transient memory) does not count. Its
/// peak resident set is the figure to hold under 1.5 GB; then the same with -Layer All (13 hidden states per frame).
/// </summary>
internal static class MertLongBench
{
    public const string ChildCommand = "mert-long-run";
    private const string Variant = "MERT-v1-95M";
    private const double Minutes = 20;

    /// <param name="layers">The -Layer values to measure, each in its own child; none = last and all.</param>
    public static void Run(Report report, IReadOnlyList<string> layers)
    {
        if (layers.Count == 0) layers = new[] { Core.Pipeline.LayerNames.Last, Core.Pipeline.LayerNames.All };
        var dir = Path.Combine(Path.GetTempPath(), "audioembed-bench-mert-long-" + Environment.ProcessId);
        try
        {
            var modelDir = Path.Combine(dir, "models", "mert", Variant);
            if (RandomModels.InstalledMert(modelDir, "real_95M_state_dict.json", Variant) is null) { report.Add("MERT-95M 20-min file", "skipped", "../shared/fixtures/mert not found"); return; }
            var wav = Path.Combine(dir, "long.wav");
            WavFile.WritePcm16(wav, new StereoMusic(44100, Minutes * 60));
            foreach (var layer in layers)
                foreach (var line in RunChild(dir, modelDir, wav, layer))
                {
                    var cells = line.Split('\t');
                    if (cells.Length == 3) report.Add(cells[0], cells[1], cells[2]);
                }
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>Runs this benchmark executable again as "mert-long-run home modelDir wav layer" and returns its report lines.</summary>
    private static List<string> RunChild(string home, string modelDir, string wav, string layer)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in new[] { ChildCommand, home, modelDir, wav, layer }) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var lines = new List<string>();
        string? line;
        while ((line = child.StandardOutput.ReadLine()) != null) lines.Add(line);
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"the {ChildCommand} child failed (exit {child.ExitCode}): {string.Join(" | ", lines)}");
        return lines;
    }

    /// <summary>The child: one Embed of the file, printing tab-separated report rows.</summary>
    public static void Child(string home, string modelDir, string wav, string layer)
    {
        var model = new InstalledModel(modelDir, ModelManifest.Load(Path.Combine(modelDir, ModelManifest.FileName)));
        var engine = new EmbeddingEngine(new ModelStore(home, ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json"))));
        var request = new EmbeddingRequest { Model = "Mert", Variant = Variant, Layer = layer, Device = ExecutionDevice.Cpu };
        using var probe = new MemoryProbe();
        var clock = Stopwatch.StartNew();
        var embedding = engine.Embed(wav, model, request, CancellationToken.None);
        var elapsed = clock.Elapsed;
        if (embedding.Vector.Any(v => !float.IsFinite(v))) throw new InvalidOperationException("non-finite embedding");
        Console.WriteLine($"MERT-95M 20-min WAV, -Layer {layer}, fresh process\t{Minutes * 60 / elapsed.TotalSeconds:0.0}× realtime\t{elapsed.TotalSeconds:0} s incl. session load, {embedding.Patches} chunks, {embedding.Dimension}-d vector");
        Console.WriteLine($"  peak resident set (VmHWM)\t{probe.PeakWorkingSet / 1048576.0:0} MB\t{probe.StartWorkingSet / 1048576.0:0} MB at start; target < 1536 MB");
        Console.WriteLine($"  peak managed heap\t{probe.PeakManaged / 1048576.0:0} MB\t{probe.Allocated / 1048576.0:0} MB allocated during the run");
    }
}
