namespace AudioEmbed.Core.Dsp;

/// <summary>Area normalisation of mel triangles.</summary>
public enum MelNorm
{
    /// <summary>Peak 1 for every triangle.</summary>
    None,

    /// <summary>Each triangle scaled by 2 / (upper edge - lower edge) in Hz, so all have equal area (librosa <c>norm='slaney'</c>).</summary>
    Slaney,
}

/// <summary>
/// A bank of triangular mel filters over the one-sided FFT bins, stored as float32 weights
/// (MelCount x BinCount, row-major) together with each row's non-zero bin range, so applying it to a
/// power spectrum touches only the few bins under each triangle.
/// </summary>
public sealed class MelFilterbank
{
    private readonly float[] _weights;
    private readonly int[] _firstBin; // first non-zero bin per mel band
    private readonly int[] _endBin;   // one past the last non-zero bin per mel band

    /// <summary>Wraps precomputed weights (e.g. another toolkit's filterbank); zeros outside each triangle are skipped.</summary>
    public MelFilterbank(float[] weights, int melCount, int binCount)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (melCount < 1 || binCount < 1 || weights.Length != (long)melCount * binCount)
            throw new ArgumentException($"A {melCount} x {binCount} filterbank needs {(long)melCount * binCount} weights, got {weights.Length}.");
        _weights = weights;
        MelCount = melCount;
        BinCount = binCount;
        _firstBin = new int[melCount];
        _endBin = new int[melCount];
        for (int m = 0; m < melCount; m++)
        {
            var row = weights.AsSpan(m * binCount, binCount);
            int first = 0, end = binCount;
            while (first < binCount && row[first] == 0) first++;
            while (end > first && row[end - 1] == 0) end--;
            _firstBin[m] = first;
            _endBin[m] = end;
        }
    }

    public int MelCount { get; }

    public int BinCount { get; }

    /// <summary>The weights, MelCount x BinCount row-major (as librosa's mel_basis).</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>
    /// librosa 0.8 <c>filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm)</c>: n_mels + 2 points equally
    /// spaced on the Slaney mel scale from fMin to fMax (default sr/2), triangles evaluated at the bin
    /// frequencies <c>linspace(0, sr/2, n_fft/2 + 1)</c>. Computed in float64; like librosa, the triangle is
    /// stored as float32 before the float64 normalisation factor is applied and the product rounded again.
    /// </summary>
    public static MelFilterbank Slaney(int sampleRate, int nFft, int nMels, double fMin = 0.0, double? fMax = null, MelNorm norm = MelNorm.Slaney)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be positive.");
        if (nFft < 2) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "n_fft must be at least 2.");
        if (nMels < 1) throw new ArgumentOutOfRangeException(nameof(nMels), nMels, "At least one mel band is needed.");
        double top = fMax ?? sampleRate / 2.0;
        if (fMin < 0 || top <= fMin)
            throw new ArgumentOutOfRangeException(nameof(fMax), $"Mel range must satisfy 0 <= fMin < fMax (got {fMin} .. {top}).");

        int bins = nFft / 2 + 1;
        var binHz = Linspace(0.0, sampleRate / 2.0, bins);

        var melPoints = Linspace(MelScale.HzToMelSlaney(fMin), MelScale.HzToMelSlaney(top), nMels + 2);
        var edgeHz = new double[nMels + 2];
        for (int i = 0; i < edgeHz.Length; i++) edgeHz[i] = MelScale.MelToHzSlaney(melPoints[i]);

        var weights = new float[nMels * bins];
        for (int m = 0; m < nMels; m++)
        {
            double lowWidth = edgeHz[m + 1] - edgeHz[m];
            double highWidth = edgeHz[m + 2] - edgeHz[m + 1];
            double scale = norm == MelNorm.Slaney ? 2.0 / (edgeHz[m + 2] - edgeHz[m]) : 1.0;
            for (int k = 0; k < bins; k++)
            {
                double rising = -(edgeHz[m] - binHz[k]) / lowWidth;
                double falling = (edgeHz[m + 2] - binHz[k]) / highWidth;
                float triangle = (float)Math.Max(0.0, Math.Min(rising, falling));
                weights[m * bins + k] = norm == MelNorm.Slaney ? (float)(triangle * scale) : triangle;
            }
        }
        return new MelFilterbank(weights, nMels, bins);
    }

    /// <summary>mel[m] = sum_k W[m, k] power[k] for one frame; accumulated in double, rounded once to float32.</summary>
    public void Apply(ReadOnlySpan<float> power, Span<float> mel)
    {
        if (power.Length != BinCount) throw new ArgumentException($"Expected {BinCount} power bins, got {power.Length}.", nameof(power));
        if (mel.Length != MelCount) throw new ArgumentException($"Expected room for {MelCount} mel bands, got {mel.Length}.", nameof(mel));
        var weights = _weights;
        for (int m = 0; m < MelCount; m++)
        {
            int rowStart = m * BinCount;
            double sum = 0;
            for (int k = _firstBin[m]; k < _endBin[m]; k++)
                sum += (double)weights[rowStart + k] * power[k];
            mel[m] = (float)sum;
        }
    }

    /// <summary>Applies the bank to <paramref name="frames"/> consecutive power spectra (frames x BinCount) giving frames x MelCount.</summary>
    public void Apply(ReadOnlySpan<float> powerFrames, int frames, Span<float> melFrames)
    {
        if (powerFrames.Length < (long)frames * BinCount || melFrames.Length < (long)frames * MelCount)
            throw new ArgumentException($"{frames} frames need {(long)frames * BinCount} power values and room for {(long)frames * MelCount} mel values.");
        for (int f = 0; f < frames; f++)
            Apply(powerFrames.Slice(f * BinCount, BinCount), melFrames.Slice(f * MelCount, MelCount));
    }

    /// <summary>numpy.linspace with endpoint: start + i * step, the last point set to stop exactly.</summary>
    private static double[] Linspace(double start, double stop, int count)
    {
        var result = new double[count];
        if (count == 1) { result[0] = start; return result; }
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++) result[i] = i * step + start;
        result[count - 1] = stop;
        return result;
    }
}
