using System.Numerics.Tensors;

namespace AudioEmbed.Core.Library;

/// <summary>
/// Exact top-N cosine search over a matrix of unit rows, split into one contiguous stretch per core, each stretch
/// keeping its own bounded heap, the heaps merged at the end. No approximate index: the answer is always the one a
/// float32 scan of every row gives (TensorPrimitives.Dot, ties to the lower row), scores included, bit for bit.
///
/// A scan of a large library is limited by memory bandwidth, not arithmetic, so when the matrix has its
/// <see cref="HalfPrefilter"/> the scan reads the half-precision rows (half the bytes) and keeps every row whose
/// approximate score is within twice the prefilter's proven error margin of the N-th best approximate score. Any
/// other row is provably below N rows that are kept (its exact score ≤ approximate + margin &lt; N-th − margin ≤ the
/// exact score of each of the N best approximate rows), so rescoring the kept rows exactly from the float32 matrix
/// gives the float32 scan's answer. On real and random libraries a few dozen to a few hundred rows are rescored;
/// a library of near-duplicates rescores more, never answers differently.
/// </summary>
public static class ExactSearch
{
    /// <summary>Rows rescored below this count are done on one thread (a parallel loop costs more than it saves).</summary>
    private const int ParallelRescoreRows = 8192;

    /// <param name="query">Unit length (then the scores are cosines).</param>
    /// <param name="excluded">Rows never returned (the query song itself).</param>
    public static (int Row, float Score)[] Top(MappedMatrix matrix, ReadOnlySpan<float> query, int top, IReadOnlySet<int>? excluded = null, int? degreeOfParallelism = null) =>
        Top(matrix, query, top, out _, excluded, degreeOfParallelism);

    /// <param name="rescored">How many rows were read from the float32 matrix after the half-precision scan (all rows without a prefilter).</param>
    public static (int Row, float Score)[] Top(MappedMatrix matrix, ReadOnlySpan<float> query, int top, out int rescored, IReadOnlySet<int>? excluded = null, int? degreeOfParallelism = null)
    {
        var q = CheckedQuery(matrix, query);
        rescored = 0;
        if (matrix.Rows == 0 || top <= 0) return Array.Empty<(int, float)>();
        int parts = Parts(matrix.Rows, degreeOfParallelism);
        if (UsableMargin(matrix, q) is double margin)
            return PrefilteredTop(matrix, matrix.Prefilter!, q, top, excluded, parts, margin, out rescored);
        rescored = matrix.Rows;
        return FullScanTop(matrix, q, top, excluded, parts);
    }

    /// <summary>
    /// Every row's score for combining several models' libraries row by row: the half-precision scores with the
    /// bound on their error (<paramref name="margin"/>) when the matrix has a prefilter, else the exact scores and 0.
    /// The caller rescores the rows that matter with <see cref="ExactScore"/>.
    /// </summary>
    public static float[] AllScores(MappedMatrix matrix, ReadOnlySpan<float> query, out double margin, int? degreeOfParallelism = null)
    {
        var q = CheckedQuery(matrix, query);
        var scores = new float[matrix.Rows];
        var usable = UsableMargin(matrix, q);
        margin = usable ?? 0;
        var half = usable is null ? null : matrix.Prefilter;
        int parts = Parts(matrix.Rows, degreeOfParallelism);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            var (start, end) = Stretch(matrix.Rows, parts, p);
            for (int r = start; r < end; r++)
                scores[r] = half != null ? HalfRows.Dot(half.Row(r), q) : TensorPrimitives.Dot(matrix.Row(r), q);
        });
        return scores;
    }

    /// <summary>One row's exact score: the float32 row's dot product, the value a full scan gives.</summary>
    public static float ExactScore(MappedMatrix matrix, int row, ReadOnlySpan<float> query) => TensorPrimitives.Dot(matrix.Row(row), query);

    /// <summary>The best <paramref name="top"/> of precomputed scores, skipping excluded indices.</summary>
    public static (int Row, float Score)[] Top(ReadOnlySpan<float> scores, int top, IReadOnlySet<int>? excluded = null)
    {
        var heap = new TopN(top);
        for (int r = 0; r < scores.Length; r++)
            if (scores[r] >= heap.Threshold && (excluded is null || !excluded.Contains(r))) heap.Offer(r, scores[r]);
        return heap.Sorted();
    }

    /// <summary>The lowest float at or below <paramref name="value"/> − <paramref name="band"/> (rounded down, so a comparison in float keeps every row the real-number rule keeps).</summary>
    public static float CutoffBelow(float value, double band)
    {
        if (float.IsNegativeInfinity(value)) return float.NegativeInfinity;
        double exact = value - band;
        float cutoff = (float)exact;
        return cutoff > exact ? MathF.BitDecrement(cutoff) : cutoff;
    }

    private static float[] CheckedQuery(MappedMatrix matrix, ReadOnlySpan<float> query)
    {
        if (query.Length != matrix.Dimension)
            throw new ArgumentException($"The query has {query.Length} values; the library's rows have {matrix.Dimension}.");
        var q = query.ToArray();
        if (!Array.TrueForAll(q, float.IsFinite)) throw new ArgumentException("The query vector holds NaN or infinite values.");
        return q;
    }

    /// <summary>The prefilter's margin for this query, or null when there is no prefilter or its margin is too wide to leave any row out.</summary>
    private static double? UsableMargin(MappedMatrix matrix, float[] q)
    {
        if (matrix.Prefilter is not { } half) return null;
        double margin = half.Margin(q);
        return double.IsFinite(margin) && margin < 0.25 ? margin : null;
    }

    private static int Parts(int rows, int? degreeOfParallelism) =>
        Math.Clamp(degreeOfParallelism ?? Environment.ProcessorCount, 1, Math.Max(1, rows / 1024 + 1));

    private static (int Start, int End) Stretch(int rows, int parts, int p) =>
        ((int)((long)rows * p / parts), (int)((long)rows * (p + 1) / parts));

    private static (int Row, float Score)[] FullScanTop(MappedMatrix matrix, float[] q, int top, IReadOnlySet<int>? excluded, int parts) =>
        ParallelTop(matrix.Rows, parts, top, (start, end, heap) =>
        {
            for (int r = start; r < end; r++)
            {
                float score = TensorPrimitives.Dot(matrix.Row(r), q);
                if (score >= heap.Threshold && (excluded is null || !excluded.Contains(r))) heap.Offer(r, score);
            }
        });

    /// <summary>The exact top-N of the given rows, from the float32 matrix.</summary>
    private static (int Row, float Score)[] Rescore(MappedMatrix matrix, float[] q, int[] rows, int top) =>
        ParallelTop(rows.Length, rows.Length >= ParallelRescoreRows ? Math.Max(1, Environment.ProcessorCount) : 1, top, (start, end, heap) =>
        {
            for (int i = start; i < end; i++) heap.Offer(rows[i], TensorPrimitives.Dot(matrix.Row(rows[i]), q));
        });

    /// <summary>[0, count) split into one stretch per part, each scanned into a heap of its own, the heaps merged.</summary>
    private static (int Row, float Score)[] ParallelTop(int count, int parts, int top, Action<int, int, TopN> scan)
    {
        var heaps = new TopN[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            var (start, end) = Stretch(count, parts, p);
            var heap = new TopN(top);
            scan(start, end, heap);
            heaps[p] = heap;
        });
        for (int p = 1; p < parts; p++) heaps[0].Merge(heaps[p]);
        return heaps[0].Sorted();
    }

    private static (int Row, float Score)[] PrefilteredTop(MappedMatrix matrix, HalfPrefilter half, float[] q, int top,
        IReadOnlySet<int>? excluded, int parts, double margin, out int rescored)
    {
        double band = 2 * margin;
        var heaps = new TopN[parts];
        var kept = new List<(int Row, float Approximate)>[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            var (start, end) = Stretch(matrix.Rows, parts, p);
            var heap = new TopN(top);
            var candidates = new List<(int Row, float Approximate)>();
            int pruneAt = 4 * top + 1024;
            float cutoff = float.NegativeInfinity;
            for (int r = start; r < end; r++)
            {
                float s = HalfRows.Dot(half.Row(r), q);
                if (s < cutoff || (excluded != null && excluded.Contains(r))) continue;
                candidates.Add((r, s));
                if (s >= heap.Threshold)
                {
                    heap.Offer(r, s);
                    cutoff = CutoffBelow(heap.Threshold, band);
                }
                if (candidates.Count >= pruneAt)
                {
                    float c = cutoff;
                    candidates.RemoveAll(x => x.Approximate < c);
                    pruneAt = Math.Max(pruneAt, 2 * candidates.Count);
                }
            }
            heaps[p] = heap;
            kept[p] = candidates;
        });
        for (int p = 1; p < parts; p++) heaps[0].Merge(heaps[p]);
        // The N-th best approximate score over all stretches: each stretch kept at least what this cutoff keeps.
        float finalCutoff = CutoffBelow(heaps[0].Threshold, band);
        var rows = kept.SelectMany(k => k).Where(k => k.Approximate >= finalCutoff).Select(k => k.Row).ToArray();
        rescored = rows.Length;
        return Rescore(matrix, q, rows, top);
    }
}
