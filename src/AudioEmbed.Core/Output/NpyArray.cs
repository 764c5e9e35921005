namespace AudioEmbed.Core.Output;

/// <summary>
/// An n-dimensional array read from a .npy file: its shape, its numpy dtype string, and its values
/// in C (row-major) order, kept as doubles so every numeric dtype survives the round trip exactly
/// (float32, float64 and integers up to 2^53).
/// </summary>
public sealed class NpyArray
{
    public NpyArray(int[] shape, string dtype, double[] values)
    {
        Shape = shape;
        DType = dtype;
        Values = values;
    }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>The numpy descr as stored, e.g. "&lt;f4", "&gt;f8", "&lt;i4".</summary>
    public string DType { get; }

    public double[] Values { get; }

    public long Count => Values.LongLength;

    public float[] ToFloat32()
    {
        var result = new float[Values.Length];
        for (int i = 0; i < result.Length; i++) result[i] = (float)Values[i];
        return result;
    }

    /// <summary>Row <paramref name="row"/> of a 2-D array as float32.</summary>
    public float[] Row(int row)
    {
        if (Shape.Length != 2) throw new InvalidOperationException($"Row() needs a 2-D array; this one has shape ({string.Join(", ", Shape)}).");
        int cols = Shape[1];
        var result = new float[cols];
        for (int c = 0; c < cols; c++) result[c] = (float)Values[(long)row * cols + c];
        return result;
    }
}
