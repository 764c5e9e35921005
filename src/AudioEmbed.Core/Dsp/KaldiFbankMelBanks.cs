namespace AudioEmbed.Core.Dsp;

/// <summary>
/// Kaldi's triangular mel filters (torchaudio 0.13 <c>kaldi.get_mel_banks</c> without VTLN warping).
/// </summary>
/// <remarks>
/// Kaldi places <c>numBins + 2</c> edges equally spaced on the mel scale 1127 ln(1 + f / 700) between the low and
/// high frequency, and evaluates each triangle <em>in the mel domain</em> at the mel value of every FFT bin centre
/// k * sampleRate / paddedWindowSize, k = 0 .. paddedWindowSize/2 - 1 (the Nyquist bin is not covered).
/// torchaudio computes the edges and the bin mels with float32 tensors (only the scalar mel range and step are
/// float64), so this class does the same arithmetic in float32, step by step, to reproduce its weights to the
/// last bit or two rather than to ~1e-5.
/// </remarks>
public static class KaldiFbankMelBanks
{
    /// <summary>
    /// The weights, <paramref name="numBins"/> x paddedWindowSize/2 row-major (without the zero Nyquist column
    /// that <see cref="KaldiFbank"/> appends). <paramref name="highFreq"/> &lt;= 0 is an offset from Nyquist.
    /// </summary>
    public static float[] Compute(int numBins, int paddedWindowSize, double sampleRate, double lowFreq, double highFreq)
    {
        if (numBins <= 3) throw new ArgumentException($"Kaldi mel banks need at least 4 bins, got {numBins}.", nameof(numBins));
        if (paddedWindowSize < 2 || paddedWindowSize % 2 != 0)
            throw new ArgumentException($"The padded window size must be even and at least 2, got {paddedWindowSize}.", nameof(paddedWindowSize));
        if (!(sampleRate > 0) || double.IsInfinity(sampleRate))
            throw new ArgumentException($"The sample rate must be positive, got {sampleRate}.", nameof(sampleRate));
        double nyquist = 0.5 * sampleRate;
        if (highFreq <= 0.0) highFreq += nyquist;
        if (!(lowFreq >= 0 && lowFreq < nyquist && highFreq > 0 && highFreq <= nyquist && lowFreq < highFreq))
            throw new ArgumentException($"Bad mel range: low {lowFreq} Hz, high {highFreq} Hz, Nyquist {nyquist} Hz.");

        int fftBins = paddedWindowSize / 2;
        // Python-float (double) scalars in torchaudio; they enter the float32 tensor arithmetic rounded to float32.
        double binWidth = sampleRate / paddedWindowSize;
        double melLow = MelScale.HzToMelHtk(lowFreq);
        double melHigh = MelScale.HzToMelHtk(highFreq);
        double melDelta = (melHigh - melLow) / (numBins + 1);
        float binWidthF = (float)binWidth, melLowF = (float)melLow, melDeltaF = (float)melDelta;

        var binMel = new float[fftBins];
        for (int k = 0; k < fftBins; k++)
        {
            float hz = k * binWidthF;
            binMel[k] = 1127.0f * MathF.Log(1.0f + hz / 700.0f);
        }

        var weights = new float[numBins * fftBins];
        for (int m = 0; m < numBins; m++)
        {
            float index = m;
            float left = melLowF + index * melDeltaF;
            float center = melLowF + (index + 1.0f) * melDeltaF;
            float right = melLowF + (index + 2.0f) * melDeltaF;
            float riseWidth = center - left, fallWidth = right - center;
            var row = weights.AsSpan(m * fftBins, fftBins);
            for (int k = 0; k < fftBins; k++)
            {
                float up = (binMel[k] - left) / riseWidth;
                float down = (right - binMel[k]) / fallWidth;
                row[k] = MathF.Max(0.0f, MathF.Min(up, down));
            }
        }
        return weights;
    }
}
