using System.Diagnostics;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// A long run: 2,000 short files (1 s, 44.1 kHz stereo) through MusiCNN and the atomic .npy writer with two workers.
/// Reports the managed heap and working set after the first 200 files (warm) and at the end — steady memory means
/// they stay flat — and checks that exactly 2,000 valid outputs exist.
/// </summary>
internal static class SoakBench
{
    public static void Run(Report report)
    {
        var shared = Paths.Shared();
        if (shared is null) { report.Add("soak", "skipped", "../shared not found"); return; }
        var home = Path.Combine(Path.GetTempPath(), "audioembed-bench-soak-" + Environment.ProcessId);
        try
        {
            var store = new ModelStore(home, ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json")));
            var model = store.Install(new InstallRequest("MusiCNN") { Variant = "MTT_musicnn", SourcePath = Path.Combine(shared, "models", "musicnn", "MTT_musicnn.h5") }, null, CancellationToken.None);
            var audioDir = Directory.CreateDirectory(Path.Combine(home, "audio")).FullName;
            var outDir = Path.Combine(home, "out");
            var song = Signals.Stereo(44100, 1);
            const int Files = 2000;
            var files = Enumerable.Range(0, Files).Select(i => Path.Combine(audioDir, $"clip{i:0000}.wav")).ToList();
            foreach (var f in files) WavFile.Write(f, song, 44100, 2);

            var engine = new EmbeddingEngine(store);
            var request = new EmbeddingRequest { Model = "MusiCNN", Device = ExecutionDevice.Cpu };
            var runner = new OrderedParallelRunner<string, AudioEmbedding>(2, (f, ct) => engine.Embed(f, model, request, ct), CancellationToken.None);
            long warmHeap = 0, warmSet = 0;
            int done = 0;
            var clock = Stopwatch.StartNew();
            void Write(OrderedParallelRunner<string, AudioEmbedding>.Completed c)
            {
                var e = c.Result ?? throw c.Error!;
                var (values, shape) = e.ToArray();
                AtomicFileWriter.Write(EmbeddingLayout.PathFor(outDir, e.ModelFolder, e.Name), s => NpyWriter.Write(s, values, shape), overwrite: true);
                if (++done == 200)
                {
                    GC.Collect(); GC.WaitForPendingFinalizers();
                    warmHeap = GC.GetTotalMemory(true);
                    warmSet = Process.GetCurrentProcess().WorkingSet64;
                }
            }
            foreach (var f in files) foreach (var c in runner.Add(f)) Write(c);
            foreach (var c in runner.Drain()) Write(c);
            GC.Collect(); GC.WaitForPendingFinalizers();
            long endHeap = GC.GetTotalMemory(true), endSet = Process.GetCurrentProcess().WorkingSet64;
            int valid = Directory.GetFiles(Path.Combine(outDir, "musicnn"), "*.npy").Count(f => EmbeddingStatusScanner.IsValid(f, new[] { 753 }));
            report.Add("soak: 2,000 files, 2 workers", $"{Files / clock.Elapsed.TotalMinutes:0} files/min", $"{valid} valid outputs of {Files}");
            report.Add("soak: managed heap after 200 / 2,000", $"{warmHeap / 1048576.0:0.0} / {endHeap / 1048576.0:0.0} MB", "");
            report.Add("soak: working set after 200 / 2,000", $"{warmSet / 1048576.0:0} / {endSet / 1048576.0:0} MB", "");
        }
        finally
        {
            try { Directory.Delete(home, true); } catch (IOException) { }
        }
    }
}
