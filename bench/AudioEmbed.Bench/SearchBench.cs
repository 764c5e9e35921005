using System.Diagnostics;
using AudioEmbed.Core.Library;

namespace AudioEmbed.Bench;

/// <summary>
/// Find-SimilarAudio's exact search: top-10 cosine over N × 768 unit float32 rows in a memory-mapped file, per query,
/// beside a plain scalar loop over the same mapped rows in the same run (the reference). Also the resident memory
/// while searching (peak working set, reset at the start) against the matrix file's size: the rows live in the
/// page cache, not the managed heap. Run: dotnet run -c Release --project bench/AudioEmbed.Bench -- search [rows...]
/// </summary>
internal static class SearchBench
{
    public static void Run(Report report, IEnumerable<string> args)
    {
        var sizes = args.Select(int.Parse).DefaultIfEmpty(100_000).ToList();
        if (!args.Any()) sizes.Add(1_000_000);
        const int dim = 768, top = 10, queries = 20;
        foreach (var rows in sizes)
        {
            var path = Path.Combine(Path.GetTempPath(), $"audioembed-search-bench-{Environment.ProcessId}-{rows}.f32");
            try
            {
                WriteRandomUnitRows(path, rows, dim, seed: 7);
                using var matrix = new MappedMatrix(path, rows, dim);
                var rng = new Random(11);
                var qs = Enumerable.Range(0, queries).Select(_ => VectorMath.Normalized(Enumerable.Range(0, dim).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray())).ToArray();
                ExactSearch.Top(matrix, qs[0], top); // warm: pages in, threads up

                using var probe = new MemoryProbe();
                var self = Process.GetCurrentProcess();
                var cpu0 = self.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                (int Row, float Score)[] last = Array.Empty<(int, float)>();
                foreach (var q in qs) last = ExactSearch.Top(matrix, q, top);
                double simdMs = sw.Elapsed.TotalMilliseconds / queries;
                self.Refresh();
                double simdCpuMs = (self.TotalProcessorTime - cpu0).TotalMilliseconds / queries;
                long peak = probe.PeakWorkingSet;

                int scalarQueries = rows >= 1_000_000 ? 3 : 5;
                self.Refresh();
                cpu0 = self.TotalProcessorTime;
                sw.Restart();
                (int Row, float Score)[] scalar = Array.Empty<(int, float)>();
                for (int i = 0; i < scalarQueries; i++) scalar = ScalarTop(matrix, qs[queries - 1 - (scalarQueries - 1 - i)], top);
                double scalarMs = sw.Elapsed.TotalMilliseconds / scalarQueries;
                self.Refresh();
                double scalarCpuMs = (self.TotalProcessorTime - cpu0).TotalMilliseconds / scalarQueries;
                bool same = scalar.Select(s => s.Row).SequenceEqual(last.Select(s => s.Row));

                long bytes = matrix.Bytes;
                // On a shared machine the wall time is mostly waiting for a core; the CPU time the process actually got
                // is the steadier figure, and CPU ms / cores is what an idle machine of this kind would take.
                report.Add($"search {rows:N0}x{dim} top-{top} SIMD+parallel", $"{simdMs:0.0} ms/query", $"wall, {Environment.ProcessorCount} cores, mean of {queries} queries; CPU {simdCpuMs:0.0} ms/query = {simdCpuMs / Environment.ProcessorCount:0.0} ms on {Environment.ProcessorCount} idle cores");
                report.Add($"search {rows:N0}x{dim} scalar loop (1 core)", $"{scalarMs:0.0} ms/query", $"wall; CPU {scalarCpuMs:0.0} ms/query; SIMD+parallel {scalarMs / simdMs:0.0}x faster (wall), {scalarCpuMs / simdCpuMs:0.0}x less CPU; same top-{top}: {same}");
                report.Add($"search {rows:N0}x{dim} load", $"{LoadAverage()}", "1-minute load average at the end (other engineers' builds and tests)");
                report.Add($"search {rows:N0}x{dim} memory", $"{peak / 1048576.0:0} MB peak WS", $"matrix file {bytes / 1048576.0:0} MB, working set at start {probe.StartWorkingSet / 1048576.0:0} MB, managed peak {probe.PeakManaged / 1048576.0:0} MB{(probe.PeakIsReset ? "" : " (peak not resettable here)")}");
            }
            finally
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                try { File.Delete(path); } catch (IOException) { }
            }
        }
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return "n/a"; }
    }

    /// <summary>The reference: one dot product after another, one core, a sorted list of the best.</summary>
    private static (int Row, float Score)[] ScalarTop(MappedMatrix matrix, float[] q, int top)
    {
        var best = new List<(int Row, float Score)>(top + 1);
        for (int r = 0; r < matrix.Rows; r++)
        {
            var row = matrix.Row(r);
            float s = 0;
            for (int i = 0; i < row.Length; i++) s += row[i] * q[i];
            if (best.Count < top || s > best[^1].Score)
            {
                int at = best.FindIndex(b => s > b.Score);
                best.Insert(at < 0 ? best.Count : at, (r, s));
                if (best.Count > top) best.RemoveAt(best.Count - 1);
            }
        }
        return best.ToArray();
    }

    /// <summary>Random unit rows written in blocks (never the whole matrix in memory).</summary>
    private static void WriteRandomUnitRows(string path, int rows, int dim, int seed)
    {
        var rng = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var row = new float[dim];
        var bytes = new byte[dim * 4];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < dim; i++) row[i] = (float)(rng.NextDouble() * 2 - 1);
            VectorMath.Normalize(row);
            Buffer.BlockCopy(row, 0, bytes, 0, bytes.Length);
            file.Write(bytes);
        }
    }
}
