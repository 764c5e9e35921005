using System.Buffers;

namespace AudioEmbed.Core.Dsp;

/// <summary>
/// Kaldi log-mel filterbank features, numerically following torchaudio 0.13's
/// <c>torchaudio.compliance.kaldi.fbank</c> (without dither or the energy column), optionally followed by a
/// (x - mean) / std normalisation. Immutable and thread-safe; scratch buffers are rented per call, never per frame.
/// </summary>
/// <remarks>
/// Per frame: copy the window's samples (mirrored at the ends when not snipping edges), subtract the frame mean,
/// pre-emphasise (the first sample uses itself as predecessor), multiply by the window, zero-pad to the FFT
/// length, take |X|^2 (or |X|), apply the mel triangles (with a zero weight on the Nyquist bin) and take
/// ln(max(E, float eps)). torchaudio does every step in float32. Here the time-domain steps are done in float32
/// with the same operation order (so they round as torchaudio's do), while the FFT runs in double: float32 FFT
/// noise cannot be reproduced bit for bit anyway. That noise is what remains: against torchaudio's output the
/// difference is ~1e-6 on bands with real energy and up to ~1e-2 only in near-silent bands (ln E &lt; -12), where
/// torchaudio's own float32 FFT error dominates; doing the time-domain steps in double instead changes that by
/// less than it varies between signals.
/// </remarks>
public sealed class KaldiFbank
{
    private readonly float[] _window;
    private readonly RealFft _fft;
    private readonly float _preemphasis;
    private readonly float _normalizeMean;
    private readonly float _normalizeStd;
    private readonly bool _normalize;

    public KaldiFbank(KaldiFbankOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        WindowSize = options.WindowSize;
        WindowShift = options.WindowShift;
        PaddedWindowSize = options.PaddedWindowSize;
        _fft = RealFft.ForSize(PaddedWindowSize);
        _window = BuildWindow(options.WindowType, WindowSize);
        _preemphasis = (float)options.PreemphasisCoefficient;
        _normalize = options.NormalizationMean.HasValue;
        _normalizeMean = (float)(options.NormalizationMean ?? 0.0);
        _normalizeStd = (float)(options.NormalizationStd ?? 1.0);

        int fftBins = PaddedWindowSize / 2;
        var banks = KaldiFbankMelBanks.Compute(options.NumMelBins, PaddedWindowSize, options.SampleRate, options.LowFreq, options.HighFreq);
        // Kaldi's triangles stop below Nyquist; torchaudio pads a zero column so the bank spans all n/2 + 1 bins.
        var withNyquist = new float[options.NumMelBins * (fftBins + 1)];
        for (int m = 0; m < options.NumMelBins; m++)
            banks.AsSpan(m * fftBins, fftBins).CopyTo(withNyquist.AsSpan(m * (fftBins + 1), fftBins));
        Filterbank = new MelFilterbank(withNyquist, options.NumMelBins, fftBins + 1);
    }

    public KaldiFbankOptions Options { get; }

    /// <summary>Samples per frame (before zero-padding).</summary>
    public int WindowSize { get; }

    /// <summary>Hop between frames, in samples.</summary>
    public int WindowShift { get; }

    /// <summary>FFT length.</summary>
    public int PaddedWindowSize { get; }

    /// <summary>Values per output frame (mel bins).</summary>
    public int MelCount => Filterbank.MelCount;

    /// <summary>The mel triangles, MelCount x (PaddedWindowSize/2 + 1), the last (Nyquist) column zero.</summary>
    public MelFilterbank Filterbank { get; }

    /// <summary>The float32 analysis window (WindowSize points) applied after pre-emphasis.</summary>
    public ReadOnlySpan<float> Window => _window;

    /// <summary>
    /// Frames for <paramref name="sampleCount"/> samples. With snip_edges: <c>1 + (n - window) / hop</c>, and 0 when
    /// the signal is shorter than one window (torchaudio raises an assertion there instead; returning no frames
    /// lets callers treat a too-short clip as empty). Without: <c>(n + hop / 2) / hop</c>.
    /// </summary>
    public int FrameCount(long sampleCount)
    {
        if (sampleCount < 0) throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, "The sample count cannot be negative.");
        long frames = Options.SnipEdges
            ? (sampleCount < WindowSize ? 0 : 1 + (sampleCount - WindowSize) / WindowShift)
            : (sampleCount + WindowShift / 2) / WindowShift;
        if (frames > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, "Signal too long for one fbank call.");
        return (int)frames;
    }

    /// <summary>Features of the whole signal: FrameCount(n) x MelCount float32, row-major (empty if there are no frames).</summary>
    public float[] Compute(ReadOnlySpan<float> waveform)
    {
        var result = new float[OutputLength(FrameCount(waveform.Length))];
        Compute(waveform, result);
        return result;
    }

    /// <summary>As <see cref="Compute(ReadOnlySpan{float})"/>, into <paramref name="destination"/> (at least FrameCount(n) x MelCount values).</summary>
    public void Compute(ReadOnlySpan<float> waveform, Span<float> destination)
    {
        int frames = FrameCount(waveform.Length);
        int mels = MelCount;
        int total = OutputLength(frames);
        if (destination.Length < total)
            throw new ArgumentException($"Destination holds {destination.Length} values; {frames} frames of {mels} mel bins need {total}.", nameof(destination));
        if (frames == 0) return;

        int padded = PaddedWindowSize, bins = _fft.BinCount;
        var floats = ArrayPool<float>.Shared;
        var doubles = ArrayPool<double>.Shared;
        float[] frameBuffer = floats.Rent(padded), powerBuffer = floats.Rent(bins);
        double[] reBuffer = doubles.Rent(bins), imBuffer = doubles.Rent(bins);
        try
        {
            var frame = frameBuffer.AsSpan(0, padded);
            var power = powerBuffer.AsSpan(0, bins);
            var re = reBuffer.AsSpan(0, bins);
            var im = imBuffer.AsSpan(0, bins);
            frame[WindowSize..].Clear(); // zero padding; never written below
            for (int f = 0; f < frames; f++)
            {
                var windowed = frame[..WindowSize];
                ExtractFrame(waveform, f, windowed);
                ConditionFrame(windowed);
                _fft.Forward(frame, re, im);
                SpectrumOf(re, im, power);
                var melRow = destination.Slice(f * mels, mels);
                Filterbank.Apply(power, melRow);
                if (Options.UseLogFbank)
                    for (int m = 0; m < melRow.Length; m++)
                        melRow[m] = MathF.Log(MathF.Max(melRow[m], KaldiFbankOptions.LogFloor));
            }
        }
        finally
        {
            floats.Return(frameBuffer);
            floats.Return(powerBuffer);
            doubles.Return(reBuffer);
            doubles.Return(imBuffer);
        }

        var output = destination[..total];
        if (Options.SubtractMean) SubtractColumnMeans(output, frames, mels);
        if (_normalize)
            for (int i = 0; i < output.Length; i++)
                output[i] = (output[i] - _normalizeMean) / _normalizeStd;
    }

    /// <summary>Values in the output for <paramref name="frames"/> frames; throws if that exceeds one array.</summary>
    private int OutputLength(int frames)
    {
        long total = (long)frames * MelCount;
        if (total > Array.MaxLength)
            throw new ArgumentException($"{frames} frames of {MelCount} mel bins exceed the largest array; compute the signal in parts.");
        return (int)total;
    }

    /// <summary>Copies frame <paramref name="index"/>'s samples; without snip_edges, positions outside the signal are mirrored (x[-1] = x[0]).</summary>
    private void ExtractFrame(ReadOnlySpan<float> waveform, int index, Span<float> frame)
    {
        long n = waveform.Length;
        long start = Options.SnipEdges
            ? (long)index * WindowShift
            : (long)index * WindowShift + WindowShift / 2 - WindowSize / 2;
        if (start >= 0 && start + WindowSize <= n)
        {
            waveform.Slice((int)start, WindowSize).CopyTo(frame);
            return;
        }
        for (int j = 0; j < frame.Length; j++)
        {
            long s = start + j;
            // Kaldi's ExtractWindow reflection, repeated for signals shorter than the window.
            while (s < 0 || s >= n)
                s = s < 0 ? -s - 1 : 2 * n - 1 - s;
            frame[j] = waveform[(int)s];
        }
    }

    /// <summary>DC removal, pre-emphasis and windowing, each in float32 as torchaudio's tensor ops round them.</summary>
    private void ConditionFrame(Span<float> frame)
    {
        if (Options.RemoveDcOffset)
        {
            double sum = 0;
            for (int j = 0; j < frame.Length; j++) sum += frame[j];
            float mean = (float)(sum / frame.Length);
            for (int j = 0; j < frame.Length; j++) frame[j] -= mean;
        }
        if (_preemphasis != 0)
        {
            // Backwards so each step still reads the un-emphasised predecessor; the first sample is its own predecessor.
            for (int j = frame.Length - 1; j > 0; j--) frame[j] -= _preemphasis * frame[j - 1];
            frame[0] -= _preemphasis * frame[0];
        }
        var window = _window;
        for (int j = 0; j < frame.Length; j++) frame[j] *= window[j];
    }

    private void SpectrumOf(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<float> spectrum)
    {
        if (Options.UsePower)
            for (int k = 0; k < spectrum.Length; k++) spectrum[k] = (float)(re[k] * re[k] + im[k] * im[k]);
        else
            for (int k = 0; k < spectrum.Length; k++) spectrum[k] = (float)Math.Sqrt(re[k] * re[k] + im[k] * im[k]);
    }

    private static void SubtractColumnMeans(Span<float> values, int frames, int columns)
    {
        var means = new double[columns];
        for (int f = 0; f < frames; f++)
            for (int c = 0; c < columns; c++) means[c] += values[f * columns + c];
        for (int c = 0; c < columns; c++) means[c] /= frames;
        for (int f = 0; f < frames; f++)
            for (int c = 0; c < columns; c++) values[f * columns + c] = (float)(values[f * columns + c] - means[c]);
    }

    private static float[] BuildWindow(KaldiFbankWindowType type, int length)
    {
        double[] window = type switch
        {
            KaldiFbankWindowType.Povey => WindowFunctions.Povey(length),
            KaldiFbankWindowType.Hann => WindowFunctions.Hann(length, periodic: false),
            KaldiFbankWindowType.Hamming => WindowFunctions.Hamming(length, periodic: false),
            KaldiFbankWindowType.Rectangular => WindowFunctions.Rectangular(length),
            _ => throw new ArgumentException($"Unknown window type {type}."),
        };
        var result = new float[length];
        for (int i = 0; i < length; i++) result[i] = (float)window[i];
        return result;
    }
}
