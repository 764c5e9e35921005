namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// Wav2Vec2FeatureExtractor's <c>do_normalize</c>: (x − mean) / √(var + 1e-7) over one input, population variance
/// (ddof 0). Sums are taken in double, so the result is at least as accurate as upstream's float32 numpy.
/// </summary>
internal static class MertNormalizer
{
    public const double Epsilon = 1e-7;

    public static void NormalizeInPlace(Span<float> x)
    {
        if (x.IsEmpty) return;
        double sum = 0;
        foreach (var v in x) sum += v;
        double mean = sum / x.Length;
        double sq = 0;
        foreach (var v in x) { double d = v - mean; sq += d * d; }
        double inv = 1 / Math.Sqrt(sq / x.Length + Epsilon);
        for (int i = 0; i < x.Length; i++) x[i] = (float)((x[i] - mean) * inv);
    }
}
