namespace AudioEmbed.Core.Pipeline;

/// <summary>Pools row-major (rows × dim) features held in one array, through <see cref="RowCollector"/> (the one pooling code).</summary>
public static class Pooler
{
    /// <summary>The mean of the rows, accumulated in double (a long song has thousands of rows and float sums drift).</summary>
    public static float[] Mean(ReadOnlySpan<float> rows, int rowCount, int dim) => Pool(Pooling.Mean, rows, rowCount, dim);

    /// <summary>The element-wise maximum of the rows.</summary>
    public static float[] Max(ReadOnlySpan<float> rows, int rowCount, int dim) => Pool(Pooling.Max, rows, rowCount, dim);

    public static float[][] Split(ReadOnlySpan<float> rows, int rowCount, int dim)
    {
        var result = new float[rowCount][];
        for (int r = 0; r < rowCount; r++) result[r] = rows.Slice(r * dim, dim).ToArray();
        return result;
    }

    private static float[] Pool(Pooling pooling, ReadOnlySpan<float> rows, int rowCount, int dim)
    {
        var collector = RowCollector.Pool(pooling, dim);
        collector.Add(rows[..(rowCount * dim)]);
        return collector.ToArray();
    }
}
