namespace AudioEmbed.Core.Dsp;

/// <summary>
/// Settings of <see cref="KaldiFbank"/>, named after the keyword arguments of torchaudio 0.13's
/// <c>torchaudio.compliance.kaldi.fbank</c>; every default equals torchaudio's. Options torchaudio has but that
/// change nothing without an energy column (raw_energy, htk_compat, energy_floor) are still carried so a
/// configuration can be copied over verbatim; the random or unsupported ones (dither, use_energy, VTLN) are
/// rejected by <see cref="Validate"/> rather than silently ignored.
/// </summary>
public sealed record KaldiFbankOptions
{
    /// <summary>Float32 machine epsilon: the floor Kaldi puts under every filterbank energy before the log.</summary>
    public const float LogFloor = 1.1920929E-07f;

    /// <summary>Hz (torchaudio <c>sample_frequency</c>).</summary>
    public double SampleRate { get; init; } = 16000.0;

    /// <summary>Frame length in ms; the window has <c>int(SampleRate * FrameLengthMs * 0.001)</c> samples.</summary>
    public double FrameLengthMs { get; init; } = 25.0;

    /// <summary>Frame shift in ms; the hop is <c>int(SampleRate * FrameShiftMs * 0.001)</c> samples.</summary>
    public double FrameShiftMs { get; init; } = 10.0;

    public int NumMelBins { get; init; } = 23;

    /// <summary>Lower edge of the first mel triangle, Hz.</summary>
    public double LowFreq { get; init; } = 20.0;

    /// <summary>Upper edge of the last mel triangle, Hz; zero or negative means an offset from Nyquist.</summary>
    public double HighFreq { get; init; } = 0.0;

    public KaldiFbankWindowType WindowType { get; init; } = KaldiFbankWindowType.Povey;

    /// <summary>Must be 0: Kaldi's dither adds random noise, which would make features non-reproducible.</summary>
    public double Dither { get; init; } = 0.0;

    /// <summary>y[n] = x[n] - c x[n-1] inside each frame, with x[-1] taken as x[0]; 0 disables it.</summary>
    public double PreemphasisCoefficient { get; init; } = 0.97;

    /// <summary>Subtract each frame's mean before pre-emphasis.</summary>
    public bool RemoveDcOffset { get; init; } = true;

    /// <summary>
    /// True: only frames that fit entirely in the signal (<c>1 + (n - window) / hop</c>). False: <c>(n + hop/2) / hop</c>
    /// frames centred on multiples of the hop, the signal mirrored at both ends (edge sample repeated).
    /// </summary>
    public bool SnipEdges { get; init; } = true;

    /// <summary>Zero-pad each frame to the next power of two before the FFT (otherwise the window length must be even).</summary>
    public bool RoundToPowerOfTwo { get; init; } = true;

    /// <summary>Filter the power spectrum |X|^2 (true) or the magnitude |X| (false).</summary>
    public bool UsePower { get; init; } = true;

    /// <summary>Output ln(max(E, <see cref="LogFloor"/>)) (true) or the linear energies (false).</summary>
    public bool UseLogFbank { get; init; } = true;

    /// <summary>Must be false: the extra log-energy column is not implemented.</summary>
    public bool UseEnergy { get; init; } = false;

    /// <summary>Floor on the energy column; it has no effect because <see cref="UseEnergy"/> must be false.</summary>
    public double EnergyFloor { get; init; } = 1.0;

    /// <summary>Subtract the mean over all frames of each mel bin (cepstral mean subtraction per call).</summary>
    public bool SubtractMean { get; init; } = false;

    /// <summary>
    /// If set (together with <see cref="NormalizationStd"/>), every output value v becomes (v - mean) / std.
    /// Not a torchaudio option: it is the normalisation models such as EnCodecMAE apply right after fbank.
    /// </summary>
    public double? NormalizationMean { get; init; }

    /// <summary>See <see cref="NormalizationMean"/>.</summary>
    public double? NormalizationStd { get; init; }

    /// <summary>
    /// EnCodecMAE's mel256 front end (<c>MelspectrogramProcessor</c>): 24 kHz, 26.56 ms / 13.28 ms frames
    /// (637-sample Hann window, hop 318, FFT 1024), 256 mel bins from 20 Hz to Nyquist, log power, then
    /// (x + 6.12) / 4.82. The mean and std are those of the published checkpoints' <c>norm_stats</c>; a checkpoint
    /// with other statistics should override them (<c>with { NormalizationMean = ..., NormalizationStd = ... }</c>).
    /// </summary>
    public static KaldiFbankOptions EncodecMaeMel256 { get; } = new()
    {
        SampleRate = 24000,
        FrameLengthMs = 26.56,
        FrameShiftMs = 13.28,
        NumMelBins = 256,
        WindowType = KaldiFbankWindowType.Hann,
        Dither = 0.0,
        UseEnergy = false,
        NormalizationMean = -6.12,
        NormalizationStd = 4.82,
    };

    /// <summary>Samples per frame: <c>int(SampleRate * FrameLengthMs * 0.001)</c>, evaluated in that order as torchaudio does.</summary>
    public int WindowSize => MillisecondsToSamples(FrameLengthMs);

    /// <summary>Samples between frame starts: <c>int(SampleRate * FrameShiftMs * 0.001)</c>.</summary>
    public int WindowShift => MillisecondsToSamples(FrameShiftMs);

    /// <summary>FFT length: the window size, rounded up to a power of two if <see cref="RoundToPowerOfTwo"/>.</summary>
    public int PaddedWindowSize => RoundToPowerOfTwo ? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(WindowSize, 1)) : WindowSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid or unsupported setting.</summary>
    public void Validate()
    {
        if (!(SampleRate > 0) || double.IsInfinity(SampleRate))
            throw new ArgumentException($"SampleRate must be a positive number of Hz, got {SampleRate}.");
        if (!(FrameLengthMs > 0) || double.IsInfinity(FrameLengthMs))
            throw new ArgumentException($"FrameLengthMs must be positive, got {FrameLengthMs}.");
        if (!(FrameShiftMs > 0) || double.IsInfinity(FrameShiftMs))
            throw new ArgumentException($"FrameShiftMs must be positive, got {FrameShiftMs}.");
        int window = WindowSize, shift = WindowShift;
        if (window < 2)
            throw new ArgumentException($"A frame of {FrameLengthMs} ms at {SampleRate} Hz has {window} samples; at least 2 are needed.");
        if (shift < 1)
            throw new ArgumentException($"A shift of {FrameShiftMs} ms at {SampleRate} Hz is {shift} samples; at least 1 is needed.");
        if (window > 1 << 24)
            throw new ArgumentException($"A frame of {window} samples is unreasonably long (limit {1 << 24}).");
        if (PaddedWindowSize % 2 != 0 || !System.Numerics.BitOperations.IsPow2(PaddedWindowSize))
            throw new ArgumentException($"The FFT length {PaddedWindowSize} must be a power of two: set RoundToPowerOfTwo or pick a frame length of 2^k samples.");
        if (NumMelBins <= 3)
            throw new ArgumentException($"NumMelBins must be at least 4 (Kaldi's limit), got {NumMelBins}.");
        double nyquist = 0.5 * SampleRate;
        double high = HighFreq <= 0 ? HighFreq + nyquist : HighFreq;
        if (!(LowFreq >= 0 && LowFreq < nyquist && high > 0 && high <= nyquist && LowFreq < high))
            throw new ArgumentException($"Mel range LowFreq {LowFreq} Hz .. HighFreq {HighFreq} Hz (= {high} Hz) must satisfy 0 <= low < high <= Nyquist {nyquist} Hz.");
        if (double.IsNaN(Dither) || Dither != 0)
            throw new ArgumentException($"Dither must be 0 (got {Dither}): dithering adds random noise and would make features non-reproducible.");
        if (!(PreemphasisCoefficient >= 0 && PreemphasisCoefficient <= 1))
            throw new ArgumentException($"PreemphasisCoefficient must lie in [0, 1], got {PreemphasisCoefficient}.");
        if (UseEnergy)
            throw new ArgumentException("UseEnergy is not supported: the log-energy column is not implemented.");
        if (NormalizationMean.HasValue != NormalizationStd.HasValue)
            throw new ArgumentException("NormalizationMean and NormalizationStd must be set together.");
        if (NormalizationMean is double mean && !double.IsFinite(mean))
            throw new ArgumentException($"NormalizationMean must be finite, got {mean}.");
        if (NormalizationStd is double std && !(std > 0 && double.IsFinite(std)))
            throw new ArgumentException($"NormalizationStd must be positive and finite, got {std}.");
    }

    private int MillisecondsToSamples(double ms)
    {
        // Same expression and evaluation order as torchaudio (sample_frequency * ms * 0.001, truncated), so
        // 24000 * 26.56 ms gives 637 exactly as there; saturate instead of overflowing on absurd inputs.
        double samples = SampleRate * ms * 0.001;
        if (!(samples >= 0)) return 0;
        return samples >= int.MaxValue ? int.MaxValue : (int)samples;
    }
}
