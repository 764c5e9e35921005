namespace AudioEmbed.Core.Pipeline;

/// <summary>Pools row-major (rows × dim) features over rows.</summary>
public static class Pooler
{
    public static float[] Mean(ReadOnlySpan<float> rows, int rowCount, int dim)
    {
        // Accumulate in double: a long song has thousands of rows and float sums drift.
        var acc = new double[dim];
        for (int r = 0; r < rowCount; r++)
        {
            var row = rows.Slice(r * dim, dim);
            for (int i = 0; i < dim; i++) acc[i] += row[i];
        }
        var result = new float[dim];
        for (int i = 0; i < dim; i++) result[i] = (float)(acc[i] / rowCount);
        return result;
    }

    public static float[] Max(ReadOnlySpan<float> rows, int rowCount, int dim)
    {
        var result = rows[..dim].ToArray();
        for (int r = 1; r < rowCount; r++)
        {
            var row = rows.Slice(r * dim, dim);
            for (int i = 0; i < dim; i++) if (row[i] > result[i]) result[i] = row[i];
        }
        return result;
    }

    public static float[][] Split(ReadOnlySpan<float> rows, int rowCount, int dim)
    {
        var result = new float[rowCount][];
        for (int r = 0; r < rowCount; r++) result[r] = rows.Slice(r * dim, dim).ToArray();
        return result;
    }
}
