using System.Diagnostics;
using AudioEmbed.Core.Library;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// What a one-off Find-SimilarAudio pays before and around its query on a library of N MERT-width .npy files (with
/// their manifest.jsonl): opening the library the first time (every file read, the cache written), opening it again
/// (the folder listed and compared with the cache's index, nothing read), and a query through LibrarySearch. The
/// reference, in the same run: listing the folder with each file's size and time, the least any freshness check
/// must do. Run: dotnet run -c Release --project bench/AudioEmbed.Bench -- library-open [files]
/// </summary>
internal static class LibraryOpenBench
{
    public static void Run(Report report, IEnumerable<string> args)
    {
        int files = args.Select(int.Parse).DefaultIfEmpty(100_000).First();
        var output = Path.Combine(Path.GetTempPath(), $"audioembed-library-open-{Environment.ProcessId}");
        try
        {
            var catalog = ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json"));
            var wanted = ConfigurationResolver.Resolve(catalog, null, "Mert", null, null);
            var modelDir = Path.Combine(output, wanted.Family.Folder);
            Directory.CreateDirectory(modelDir);
            var rng = new Random(5);
            var row = new float[wanted.Dimension];
            using (var manifest = new StreamWriter(Path.Combine(modelDir, EmbeddingManifest.FileName)))
                for (int i = 0; i < files; i++)
                {
                    for (int j = 0; j < row.Length; j++) row[j] = (float)(rng.NextDouble() - 0.5);
                    var name = $"song{i:D7}";
                    using (var f = File.Create(Path.Combine(modelDir, name + ".npy"))) NpyWriter.Write(f, row, new[] { row.Length });
                    manifest.WriteLine($"{{\"output\":\"{name}.npy\",\"source\":\"/music/{name}.mp3\",\"variant\":\"{wanted.Configuration.Variant}\",\"layer\":\"{wanted.Configuration.Layer}\",\"pooling\":\"Mean\"}}");
                }

            var sw = Stopwatch.StartNew();
            int listed = 0;
            foreach (var path in Directory.EnumerateFiles(modelDir, "*.npy")) { var info = new FileInfo(path); if (info.Length > 0 && info.LastWriteTimeUtc.Ticks > 0) listed++; }
            double listMs = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            using (var lib = EmbeddingLibrary.Open(output, wanted)) if (lib.Entries.Count != files) throw new InvalidOperationException("not every file was taken");
            double buildMs = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            var manifestLines = EmbeddingManifest.Load(modelDir);
            double manifestMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var listed2 = LibraryFiles.List(output, wanted, new List<LibraryIssue>());
            double filesMs = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            using var again = EmbeddingLibrary.Open(output, wanted);
            double reopenMs = sw.Elapsed.TotalMilliseconds;
            if (again.CacheRefresh.Rebuilt) throw new InvalidOperationException("the cache was rebuilt on an unchanged folder");

            sw.Restart();
            var query = again.Matrix.Row(0).ToArray();
            var hits = LibrarySearch.Find(new[] { again }, new[] { query }, null, 10, e => e.Song == "song0000000", "song0000000", out _);
            double queryMs = sw.Elapsed.TotalMilliseconds;

            report.Add($"library-open {files:N0} files: list folder (reference)", $"{listMs:0} ms", $"enumerate + size and time of each of {listed:N0} files");
            report.Add($"library-open {files:N0} files: first open (read all, write cache)", $"{buildMs:0} ms", $"{buildMs / listMs:0.0}x the listing");
            report.Add($"library-open {files:N0} files: open again (cache reused)", $"{reopenMs:0} ms", $"{reopenMs / listMs:0.0}x the listing; then one query (fresh mapping) {queryMs:0} ms, {hits.Count} hits");
            report.Add($"library-open {files:N0} files:   of which the file list", $"{filesMs:0} ms", $"LibraryFiles.List: listing, the manifest ({manifestLines.Count:N0} lines, {manifestMs:0} ms alone) and each file's configuration check; the rest is the cache's index ({listed2.Count:N0} entries) and the comparison");
        }
        finally
        {
            try { Directory.Delete(output, recursive: true); } catch (IOException) { }
        }
    }
}
