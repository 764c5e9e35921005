using System.Numerics.Tensors;

namespace AudioEmbed.Core.Library;

/// <summary>The few vector operations the library needs, on TensorPrimitives (SIMD on every CPU .NET runs on).</summary>
public static class VectorMath
{
    /// <summary>Scales <paramref name="v"/> to unit length in place; a zero vector stays zero (it then scores 0 against anything).</summary>
    public static void Normalize(Span<float> v)
    {
        float norm = TensorPrimitives.Norm(v);
        if (float.IsPositiveInfinity(norm) && TensorPrimitives.MaxMagnitude(v) is var big && float.IsFinite(big))
        {
            // Finite values whose squares overflow (|x| above 1.8e19): scale down first, then the norm is finite.
            TensorPrimitives.Divide(v, Math.Abs(big), v);
            norm = TensorPrimitives.Norm(v);
        }
        if (norm > 0 && float.IsFinite(norm)) TensorPrimitives.Divide(v, norm, v);
    }

    public static float[] Normalized(ReadOnlySpan<float> v)
    {
        var copy = v.ToArray();
        Normalize(copy);
        return copy;
    }

    /// <summary>
    /// One vector per embedding file: a pooled array as it is (flattened when -Layer All gives it a layers axis), a
    /// sequence (-Pooling None) as the mean of its rows — the same vector AudioEmbedding.Vector holds.
    /// </summary>
    public static float[] VectorOf(float[] values, int[] shape, bool isSequence)
    {
        if (!isSequence || shape.Length < 2) return values;
        int rows = shape[0];
        int width = values.Length / Math.Max(1, rows);
        var mean = new float[width];
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(mean, values.AsSpan(r * width, width), mean);
        if (rows > 0) TensorPrimitives.Divide(mean, rows, mean);
        return mean;
    }
}
