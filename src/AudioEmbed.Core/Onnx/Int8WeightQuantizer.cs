namespace AudioEmbed.Core.Onnx;

/// <summary>
/// Symmetric int8 quantisation of a Linear weight stored (in, out), one scale per output channel (column):
/// scale[o] = max|W[:, o]| / <see cref="Levels"/>, q = round(W / scale) in [-Levels, Levels], zero point 0.
/// Per-channel scales keep a column with small weights from losing its resolution to the largest column of the
/// matrix; the grid is symmetric and W = q · scale is within scale / 2 of the original.
/// </summary>
internal static class Int8WeightQuantizer
{
    /// <summary>
    /// 7 bits of magnitude, not 8 (ONNX Runtime's "reduce_range"): on x86 CPUs without VNNI (AVX2, AVX-512 before
    /// Ice Lake / Zen 4) ORT's u8·s8 kernels add pairs of products in saturating int16 (VPMADDUBSW), and
    /// 2·255·127 overflows it while 2·255·63 = 32130 does not. The int8 copy may be made on one machine and run on
    /// another, so the safe range is used everywhere; the accuracy cost is measured by the int8 bench.
    /// </summary>
    public const int Levels = 63;

    /// <summary>Quantises a row-major (inputs × outputs) matrix column by column.</summary>
    public static (sbyte[] Values, float[] Scales) PerOutputChannel(ReadOnlySpan<float> weightInOut, int inputs, int outputs)
    {
        if ((long)inputs * outputs != weightInOut.Length)
            throw new ArgumentException($"a {inputs} × {outputs} weight holds {(long)inputs * outputs} values, {weightInOut.Length} given", nameof(weightInOut));
        var maxAbs = new float[outputs];
        for (int i = 0; i < inputs; i++)
        {
            var row = weightInOut.Slice(i * outputs, outputs);
            for (int o = 0; o < outputs; o++) maxAbs[o] = Math.Max(maxAbs[o], Math.Abs(row[o]));
        }
        var scales = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            if (!float.IsFinite(maxAbs[o])) throw new ArgumentException($"weight column {o} holds a non-finite value", nameof(weightInOut));
            // An all-zero column quantises exactly to zeros with any scale; 1 keeps the division defined.
            scales[o] = maxAbs[o] > 0 ? maxAbs[o] / Levels : 1f;
        }
        var values = new sbyte[weightInOut.Length];
        for (int i = 0; i < inputs; i++)
        {
            var row = weightInOut.Slice(i * outputs, outputs);
            for (int o = 0; o < outputs; o++)
                values[i * outputs + o] = (sbyte)Math.Clamp(MathF.Round(row[o] / scales[o], MidpointRounding.ToEven), -Levels, Levels);
        }
        return (values, scales);
    }

    /// <summary>The float weight the quantised one stands for: q · scale of its column.</summary>
    public static float[] Dequantize(ReadOnlySpan<sbyte> values, ReadOnlySpan<float> scales, int inputs, int outputs)
    {
        var w = new float[values.Length];
        for (int i = 0; i < inputs; i++)
            for (int o = 0; o < outputs; o++)
                w[i * outputs + o] = values[i * outputs + o] * scales[o];
        return w;
    }
}
