using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Tests.Int8;

/// <summary>
/// Per-output-channel symmetric int8 weights: every weight comes back within half a quantisation step of its column
/// (|q·scale − w| ≤ scale/2, allowing float32 rounding of 1e-6 relative), the column maximum maps to ±Levels (63:
/// 7 bits, so no int16 saturation in ORT's non-VNNI kernels), and nothing lies outside ±Levels.
/// </summary>
public class Int8WeightQuantizerTests
{
    [Fact]
    public void RoundTrip_IsWithinHalfAStep_PerColumn()
    {
        const int inputs = 96, outputs = 40;
        var rng = new Random(11);
        var w = new float[inputs * outputs];
        for (int i = 0; i < w.Length; i++)
        {
            int column = i % outputs;
            // Columns of very different magnitudes (1e-4 … 10): a per-tensor scale would flatten the small ones.
            w[i] = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, column % 6 - 4));
        }
        for (int i = 0; i < inputs; i++) w[i * outputs + 7] = 0; // an all-zero column

        var (q, scales) = Int8WeightQuantizer.PerOutputChannel(w, inputs, outputs);
        var back = Int8WeightQuantizer.Dequantize(q, scales, inputs, outputs);

        Assert.All(q, v => Assert.InRange(v, -Int8WeightQuantizer.Levels, Int8WeightQuantizer.Levels));
        for (int o = 0; o < outputs; o++)
        {
            float maxAbs = 0;
            int maxQ = 0;
            for (int i = 0; i < inputs; i++)
            {
                maxAbs = Math.Max(maxAbs, Math.Abs(w[i * outputs + o]));
                maxQ = Math.Max(maxQ, Math.Abs((int)q[i * outputs + o]));
                double error = Math.Abs(back[i * outputs + o] - w[i * outputs + o]);
                Assert.True(error <= scales[o] * 0.5 * (1 + 1e-6), $"column {o} row {i}: |Δ| {error:E3} > half step {scales[o] / 2:E3}");
            }
            if (o == 7) Assert.Equal(0, maxQ);
            else
            {
                Assert.Equal(Int8WeightQuantizer.Levels, maxQ);
                Assert.Equal(maxAbs / Int8WeightQuantizer.Levels, scales[o], 6);
            }
        }
    }

    [Fact]
    public void ExactGridValues_RoundTripExactly()
    {
        // Weights already on the grid k·s (|k| ≤ Levels) must come back bit-exact.
        const int L = Int8WeightQuantizer.Levels;
        var w = new float[] { 0.5f, -4 * 0.25f, 3 * 0.5f, L * 0.25f, -L * 0.5f, 0.25f };
        var (q, scales) = Int8WeightQuantizer.PerOutputChannel(w, 3, 2);
        Assert.Equal(new[] { 0.5f, 0.25f }, scales); // column 0 peaks at L·0.5, column 1 at L·0.25
        Assert.Equal(w, Int8WeightQuantizer.Dequantize(q, scales, 3, 2));
    }

    [Fact]
    public void BadInput_IsRejectedWithAReason()
    {
        var e = Assert.Throws<ArgumentException>(() => Int8WeightQuantizer.PerOutputChannel(new float[5], 2, 3));
        Assert.Contains("6 values, 5 given", e.Message);
        e = Assert.Throws<ArgumentException>(() => Int8WeightQuantizer.PerOutputChannel(new[] { 1f, float.NaN }, 1, 2));
        Assert.Contains("column 1", e.Message);
    }
}
