namespace AudioEmbed.Core.Pipeline;

/// <summary>How alike two embeddings are: the measure the Int8 precision is held to (cosine ≥ 0.999 to float32).</summary>
public static class Similarity
{
    /// <summary>Cosine similarity, accumulated in double.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"the vectors differ in length ({a.Length} and {b.Length})");
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }
        return ab / Math.Sqrt(aa * bb);
    }
}
