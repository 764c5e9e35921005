using System.Diagnostics;
using AudioEmbed.Core.Library;

namespace AudioEmbed.Bench;

/// <summary>
/// Find-SimilarAudio's exact search: top-10 cosine over N × 768 unit float32 rows in memory-mapped files, per query.
/// Three ways in the same run over the same rows: the search as shipped (half-precision prefilter scan, then the
/// float32 rows that can still be in the answer rescored), the plain float32 SIMD scan of every row (what the search
/// did before the prefilter, and what it must equal bit for bit), and a plain scalar loop on one core (the reference).
/// Two libraries per size: random unit rows (scores near 0, an easy top) and an anisotropic one shaped like pooled
/// music embeddings (a shared direction and a thousand clusters: every score near 0.8, the top crowded, many rows
/// within the prefilter's margin of the 10th best). Also the resident memory while searching (peak working set, reset
/// at the start) against the files' sizes: the rows live in the page cache, not the managed heap.
/// Run: dotnet run -c Release --project bench/AudioEmbed.Bench -- search [rows...]
/// </summary>
internal static class SearchBench
{
    public static void Run(Report report, IEnumerable<string> args)
    {
        var sizes = args.Select(int.Parse).DefaultIfEmpty(100_000).ToList();
        if (!args.Any()) sizes.Add(1_000_000);
        foreach (var rows in sizes)
            foreach (var anisotropic in new[] { false, true })
                RunOne(report, rows, anisotropic);
    }

    private static void RunOne(Report report, int rows, bool anisotropic)
    {
        const int dim = 768, top = 10, queries = 20;
        var kind = anisotropic ? "anisotropic" : "random";
        var label = $"search {rows:N0}x{dim} {kind}";
        var path = Path.Combine(Path.GetTempPath(), $"audioembed-search-bench-{Environment.ProcessId}-{rows}.f32");
        var halfPath = Path.ChangeExtension(path, ".f16");
        try
        {
            var rng = new Random(7);
            var shape = anisotropic ? new Shape(rng, dim) : null;
            var (errorBound, normBound) = WriteRows(path, halfPath, rows, dim, rng, shape);
            var qs = Enumerable.Range(0, queries).Select(_ => VectorMath.Normalized(shape?.Row(rng) ?? RandomRow(rng, dim))).ToArray();

            // Opening and the first query on a fresh mapping: what a one-off Find-SimilarAudio pays for the matrix
            // beyond a warm query (page tables; the files are in the page cache, as after any earlier search).
            var sw = Stopwatch.StartNew();
            using var matrix = new MappedMatrix(path, rows, dim, new HalfPrefilter(halfPath, rows, dim, errorBound, normBound));
            ExactSearch.Top(matrix, qs[0], top);
            double firstMs = sw.Elapsed.TotalMilliseconds;
            using var plain = new MappedMatrix(path, rows, dim);

            var self = Process.GetCurrentProcess();
            var results = new (int Row, float Score)[queries][];
            long rescoredTotal = 0;
            double shippedMs, shippedCpuMs;
            long peak;
            using (var probe = new MemoryProbe())
            {
                self.Refresh();
                var cpu0 = self.TotalProcessorTime;
                sw.Restart();
                for (int i = 0; i < queries; i++) { results[i] = ExactSearch.Top(matrix, qs[i], top, out int rescored); rescoredTotal += rescored; }
                shippedMs = sw.Elapsed.TotalMilliseconds / queries;
                self.Refresh();
                shippedCpuMs = (self.TotalProcessorTime - cpu0).TotalMilliseconds / queries;
                peak = probe.PeakWorkingSet;
                report.Add($"{label} memory", $"{peak / 1048576.0:0} MB peak WS", $"half rows {new FileInfo(halfPath).Length / 1048576.0:0} MB + float32 rows {plain.Bytes / 1048576.0:0} MB on disk, working set at start {probe.StartWorkingSet / 1048576.0:0} MB, managed peak {probe.PeakManaged / 1048576.0:0} MB{(probe.PeakIsReset ? "" : " (peak not resettable here)")}");
            }

            ExactSearch.Top(plain, qs[0], top); // warm the float32 mapping
            self.Refresh();
            var cpu1 = self.TotalProcessorTime;
            sw.Restart();
            bool identical = true;
            for (int i = 0; i < queries; i++) identical &= ExactSearch.Top(plain, qs[i], top).SequenceEqual(results[i]);
            double fullMs = sw.Elapsed.TotalMilliseconds / queries;
            self.Refresh();
            double fullCpuMs = (self.TotalProcessorTime - cpu1).TotalMilliseconds / queries;

            int scalarQueries = rows >= 1_000_000 ? 2 : 4;
            self.Refresh();
            var cpu2 = self.TotalProcessorTime;
            sw.Restart();
            bool scalarSame = true;
            for (int i = 0; i < scalarQueries; i++) scalarSame &= ScalarTop(plain, qs[i], top).Select(s => s.Row).SequenceEqual(results[i].Select(s => s.Row));
            double scalarMs = sw.Elapsed.TotalMilliseconds / scalarQueries;
            self.Refresh();
            double scalarCpuMs = (self.TotalProcessorTime - cpu2).TotalMilliseconds / scalarQueries;

            int cores = Environment.ProcessorCount;
            // On a shared machine the wall time is mostly waiting for a core; the CPU time the process actually got
            // is the steadier figure, and CPU ms / cores is what an idle machine of this kind would take.
            report.Add($"{label} shipped (half scan + exact rescore)", $"{shippedMs:0.0} ms/query", $"wall, {cores} cores, mean of {queries}; CPU {shippedCpuMs:0.0} ms = {shippedCpuMs / cores:0.0} ms on {cores} idle cores; {rescoredTotal / (double)queries:0} rows rescored per query (margin {matrix.Prefilter!.Margin(qs[0]):0.00E+0}, largest row error {errorBound:0.00E+0}); open + first query {firstMs:0} ms");
            report.Add($"{label} float32 SIMD scan", $"{fullMs:0.0} ms/query", $"wall; CPU {fullCpuMs:0.0} ms = {fullCpuMs / cores:0.0} ms on {cores} idle cores; shipped is {fullMs / shippedMs:0.00}x faster (wall), {fullCpuMs / shippedCpuMs:0.00}x less CPU; same rows and scores, bit for bit, in all {queries} queries: {identical}");
            report.Add($"{label} scalar loop (1 core)", $"{scalarMs:0.0} ms/query", $"wall; CPU {scalarCpuMs:0.0} ms; shipped is {scalarMs / shippedMs:0.0}x faster (wall), {scalarCpuMs / shippedCpuMs:0.0}x less CPU; same top-{top}: {scalarSame}");
            report.Add($"{label} load", LoadAverage(), "1-minute load average at the end (other work on the machine)");
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            foreach (var p in new[] { path, halfPath }) { try { File.Delete(p); } catch (IOException) { } }
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

    private static float[] RandomRow(Random rng, int dim) => Enumerable.Range(0, dim).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>Pooled embeddings share a large common component and cluster by style: a mean direction, 1,000 centres, noise.</summary>
    private sealed class Shape(Random rng, int dim)
    {
        private readonly float[] _mean = VectorMath.Normalized(RandomRow(rng, dim));
        private readonly float[][] _centres = Enumerable.Range(0, 1000).Select(_ => VectorMath.Normalized(RandomRow(rng, dim))).ToArray();

        public float[] Row(Random r)
        {
            var c = _centres[r.Next(_centres.Length)];
            var row = new float[_mean.Length];
            for (int i = 0; i < row.Length; i++) row[i] = 2.0f * _mean[i] + 0.8f * c[i] + 0.035f * (float)(r.NextDouble() * 2 - 1);
            return row;
        }
    }

    /// <summary>Unit rows written one at a time (never the whole matrix in memory), with their half copy, by the library cache's own writer.</summary>
    private static (double ErrorBound, double NormBound) WriteRows(string path, string halfPath, int rows, int dim, Random rng, Shape? shape)
    {
        foreach (var p in new[] { path, halfPath }) File.Delete(p);
        using var writer = new MatrixWriter(path, halfPath, dim);
        for (int r = 0; r < rows; r++) writer.Append(VectorMath.Normalized(shape?.Row(rng) ?? RandomRow(rng, dim)));
        return (writer.ErrorBound, writer.NormBound);
    }
}
