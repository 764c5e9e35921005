namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Band-limited sinc resampling reproducing resampy's <c>kaiser_best</c> / <c>kaiser_fast</c> bit for bit (either
/// table generation), plus librosa 0.8.1's <c>fix_length</c> to ceil(L * r). For long inputs use
/// <see cref="ResampledSource"/>, which gives identical samples while holding only a window of the input.
/// </summary>
public static class Resampy
{
    /// <summary>
    /// resampy.resample(x, srIn, srOut, filter): int(L * srOut / srIn) samples (0 for inputs too short to give
    /// one, where resampy raises). Equal rates return a copy of the input, as librosa does before calling resampy.
    /// </summary>
    public static float[] Resample(ReadOnlySpan<float> x, int sampleRateIn, int sampleRateOut,
        ResampyFilter filter = ResampyFilter.KaiserBest, ResampyVersion version = ResampyVersion.V0_4_2)
    {
        ValidateRates(sampleRateIn, sampleRateOut);
        if (sampleRateIn == sampleRateOut) return x.ToArray();
        var kernel = ResampyKernel.Get(sampleRateIn, sampleRateOut, filter, version);
        long length = kernel.OutputLength(x.Length);
        var y = new float[length];
        var cursor = new TauCursor();
        kernel.Compute(x, 0, x.Length, long.MaxValue, length, ref cursor, y);
        return y;
    }

    /// <summary>
    /// librosa 0.8.1 <c>resample(y, srIn, srOut, res_type=filter)</c>: resampy followed by <c>fix_length</c> to
    /// <see cref="FixedLength"/> (zero padding, or truncation).
    /// </summary>
    public static float[] ResampleFixLength(ReadOnlySpan<float> x, int sampleRateIn, int sampleRateOut,
        ResampyFilter filter = ResampyFilter.KaiserBest, ResampyVersion version = ResampyVersion.V0_4_2)
    {
        var y = Resample(x, sampleRateIn, sampleRateOut, filter, version);
        long target = FixedLength(x.Length, sampleRateIn, sampleRateOut);
        if (target == y.Length) return y;
        var fixedY = new float[target];
        y.AsSpan(0, (int)Math.Min(target, y.Length)).CopyTo(fixedY);
        return fixedY;
    }

    /// <summary>resampy's output length for <paramref name="inputLength"/> samples.</summary>
    public static long OutputLength(long inputLength, int sampleRateIn, int sampleRateOut, ResampyVersion version = ResampyVersion.V0_4_2)
    {
        ValidateRates(sampleRateIn, sampleRateOut);
        if (sampleRateIn == sampleRateOut) return inputLength;
        return version == ResampyVersion.V0_2_2
            ? (long)(inputLength * ((double)sampleRateOut / sampleRateIn))
            : (long)((double)(inputLength * sampleRateOut) / sampleRateIn);
    }

    /// <summary>librosa 0.8.1's target length: ceil(L * (srOut / srIn)), the ratio taken in float64 first.</summary>
    public static long FixedLength(long inputLength, int sampleRateIn, int sampleRateOut)
    {
        ValidateRates(sampleRateIn, sampleRateOut);
        return (long)Math.Ceiling(inputLength * ((double)sampleRateOut / sampleRateIn));
    }

    internal static void ValidateRates(int sampleRateIn, int sampleRateOut)
    {
        if (sampleRateIn <= 0) throw new ArgumentException($"Input sample rate must be positive, got {sampleRateIn}.", nameof(sampleRateIn));
        if (sampleRateOut <= 0) throw new ArgumentException($"Output sample rate must be positive, got {sampleRateOut}.", nameof(sampleRateOut));
    }
}
