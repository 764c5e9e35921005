namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// Perceptual noise substitution (ISO/IEC 14496-3 4.6.13): a noise band is filled with pseudo-random values scaled to
/// the transmitted energy. The standard leaves the generator open; this one is the 32-bit linear congruential
/// generator x' = 1664525 x + 1013904223 (Numerical Recipes' constants), seeded with 0x1f2e3d4c when the decoder
/// starts and shared by all channels in decoding order — the choice ffmpeg's decoder makes, so that noise bands
/// match its output sample for sample.
/// </summary>
internal sealed class AacNoiseGenerator
{
    private uint _state = 0x1f2e3d4c;

    /// <summary>Fills one band of one window with noise of amplitude <paramref name="gain"/> (the band's RMS times its length's root).</summary>
    public void Fill(Span<float> band, float gain)
    {
        for (int k = 0; k < band.Length; k++)
        {
            _state = _state * 1664525u + 1013904223u;
            band[k] = (int)_state;
        }
        // The energy is summed in four interleaved partial sums, added as (0 + 2) + (1 + 3): the order of the
        // reference's vectorised dot product, so the float rounding agrees as well.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= band.Length; i += 4)
        {
            s0 += band[i] * band[i];
            s1 += band[i + 1] * band[i + 1];
            s2 += band[i + 2] * band[i + 2];
            s3 += band[i + 3] * band[i + 3];
        }
        for (; i < band.Length; i++) s0 += band[i] * band[i];
        float energy = (s0 + s2) + (s1 + s3);
        float scale = gain / MathF.Sqrt(energy);
        for (int k = 0; k < band.Length; k++) band[k] *= scale;
    }
}
