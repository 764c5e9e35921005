using System.Numerics.Tensors;

namespace AudioEmbed.Core.Library;

/// <summary>
/// Exact top-N cosine search over a matrix of unit rows: one SIMD dot product per row (TensorPrimitives.Dot), the
/// rows split into one contiguous stretch per core, each stretch keeping its own bounded heap, the heaps merged at the
/// end. No approximate index: a scan of 100,000 × 768 takes milliseconds and is always right.
/// </summary>
public static class ExactSearch
{
    /// <param name="query">Unit length (then the scores are cosines).</param>
    /// <param name="excluded">Rows never returned (the query song itself).</param>
    public static (int Row, float Score)[] Top(MappedMatrix matrix, ReadOnlySpan<float> query, int top, IReadOnlySet<int>? excluded = null, int? degreeOfParallelism = null)
    {
        if (query.Length != matrix.Dimension)
            throw new ArgumentException($"The query has {query.Length} values; the library's rows have {matrix.Dimension}.");
        if (matrix.Rows == 0 || top <= 0) return Array.Empty<(int, float)>();
        int parts = Math.Clamp(degreeOfParallelism ?? Environment.ProcessorCount, 1, Math.Max(1, matrix.Rows / 1024 + 1));
        var heaps = new TopN[parts];
        var q = query.ToArray();
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            int start = (int)((long)matrix.Rows * p / parts), end = (int)((long)matrix.Rows * (p + 1) / parts);
            var heap = new TopN(top);
            for (int r = start; r < end; r++)
            {
                float score = TensorPrimitives.Dot(matrix.Row(r), q);
                if (score >= heap.Threshold && (excluded is null || !excluded.Contains(r))) heap.Offer(r, score);
            }
            heaps[p] = heap;
        });
        for (int p = 1; p < parts; p++) heaps[0].Merge(heaps[p]);
        return heaps[0].Sorted();
    }

    /// <summary>Every row's score (for combining several models' libraries row by row).</summary>
    public static float[] AllScores(MappedMatrix matrix, ReadOnlySpan<float> query, int? degreeOfParallelism = null)
    {
        if (query.Length != matrix.Dimension)
            throw new ArgumentException($"The query has {query.Length} values; the library's rows have {matrix.Dimension}.");
        var scores = new float[matrix.Rows];
        var q = query.ToArray();
        int parts = Math.Clamp(degreeOfParallelism ?? Environment.ProcessorCount, 1, Math.Max(1, matrix.Rows / 1024 + 1));
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            int start = (int)((long)matrix.Rows * p / parts), end = (int)((long)matrix.Rows * (p + 1) / parts);
            for (int r = start; r < end; r++) scores[r] = TensorPrimitives.Dot(matrix.Row(r), q);
        });
        return scores;
    }

    /// <summary>The best <paramref name="top"/> of precomputed scores, skipping excluded indices.</summary>
    public static (int Row, float Score)[] Top(ReadOnlySpan<float> scores, int top, IReadOnlySet<int>? excluded = null)
    {
        var heap = new TopN(top);
        for (int r = 0; r < scores.Length; r++)
            if (scores[r] >= heap.Threshold && (excluded is null || !excluded.Contains(r))) heap.Offer(r, scores[r]);
        return heap.Sorted();
    }
}
