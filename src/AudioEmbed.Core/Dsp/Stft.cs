using System.Buffers;
using System.Runtime.Intrinsics;

namespace AudioEmbed.Core.Dsp;

/// <summary>
/// Short-time Fourier transform of a float signal, producing power spectra the way librosa 0.8 does:
/// window (float64) times samples, FFT in float64, the result rounded to complex64, then |X| and its
/// square in float32. Immutable and thread-safe; output is row-major (frames x <see cref="BinCount"/>).
/// </summary>
public sealed class Stft
{
    private readonly RealFft _fft;
    private readonly double[] _window;

    public Stft(StftOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _fft = RealFft.ForSize(options.NFft);
        _window = options.Window;
    }

    public StftOptions Options { get; }

    public int NFft => Options.NFft;

    public int HopLength => Options.HopLength;

    /// <summary>One-sided bins per frame, NFft/2 + 1.</summary>
    public int BinCount => _fft.BinCount;

    /// <summary>Samples added before the signal when centring (NFft/2), else 0.</summary>
    public int LeadingPad => Options.Center ? NFft / 2 : 0;

    /// <summary>
    /// Frames produced for <paramref name="sampleCount"/> samples: centred, <c>1 + n / hop</c> (librosa);
    /// otherwise <c>1 + (n - NFft) / hop</c>, or 0 when n &lt; NFft. An empty signal has no frames in
    /// either case: there is nothing to centre a frame on, and numpy cannot reflect-pad an empty array.
    /// </summary>
    public int FrameCount(long sampleCount)
    {
        if (sampleCount < 0) throw new ArgumentOutOfRangeException(nameof(sampleCount));
        if (sampleCount == 0) return 0;
        long padded = sampleCount + 2L * LeadingPad;
        if (padded < NFft) return 0;
        long frames = 1 + (padded - NFft) / HopLength;
        if (frames > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, "Signal too long for one STFT call.");
        return (int)frames;
    }

    /// <summary>Power spectrogram of a whole signal: FrameCount(n) x BinCount float32, row-major.</summary>
    public float[] PowerSpectrogram(ReadOnlySpan<float> signal)
    {
        int frames = FrameCount(signal.Length);
        var result = new float[(long)frames * BinCount];
        PowerFrames(signal, 0, signal.Length, 0, frames, result);
        return result;
    }

    /// <summary>
    /// Power spectra of frames <paramref name="firstFrame"/> .. firstFrame + count - 1 into <paramref name="destination"/>
    /// (count x BinCount). <paramref name="buffered"/> holds signal samples starting at absolute index
    /// <paramref name="bufferStart"/>; <paramref name="signalLength"/> is the full signal's length, used only
    /// to reflect at the right edge (a streaming caller that does not know it yet passes any value beyond the
    /// samples these frames touch). Every sample a frame reads, after reflection, must lie in the buffer.
    /// </summary>
    public void PowerFrames(ReadOnlySpan<float> buffered, long bufferStart, long signalLength, int firstFrame, int count, Span<float> destination)
    {
        int bins = BinCount;
        if (destination.Length < (long)count * bins)
            throw new ArgumentException($"Destination holds {destination.Length} values; {count} frames need {(long)count * bins}.", nameof(destination));
        var pool = ArrayPool<double>.Shared;
        double[] frame = pool.Rent(NFft), re = pool.Rent(bins), im = pool.Rent(bins);
        try
        {
            var frameSpan = frame.AsSpan(0, NFft);
            var reSpan = re.AsSpan(0, bins);
            var imSpan = im.AsSpan(0, bins);
            for (int f = 0; f < count; f++)
            {
                FillWindowedFrame(buffered, bufferStart, signalLength, firstFrame + f, frameSpan);
                _fft.Forward(frameSpan, reSpan, imSpan);
                PowerFromComplex64(reSpan, imSpan, destination.Slice(f * bins, bins));
            }
        }
        finally
        {
            pool.Return(frame); pool.Return(re); pool.Return(im);
        }
    }

    /// <summary>
    /// librosa keeps the STFT as complex64 and takes np.abs (hypotf) then squares in float32: round re and im to
    /// float, magnitude = sqrt(re^2 + im^2) evaluated in double (exact squares, one rounding) and rounded to
    /// float, then squared in float. The vector path performs the same roundings, so it gives the same bits.
    /// </summary>
    private static void PowerFromComplex64(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<float> power)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + 8 <= power.Length; k += 8)
            {
                var r = Vector256.Narrow(Vector256.Create<double>(re.Slice(k, 4)), Vector256.Create<double>(re.Slice(k + 4, 4)));
                var i = Vector256.Narrow(Vector256.Create<double>(im.Slice(k, 4)), Vector256.Create<double>(im.Slice(k + 4, 4)));
                var (rLo, rHi) = Vector256.Widen(r);
                var (iLo, iHi) = Vector256.Widen(i);
                var magnitude = Vector256.Narrow(Vector256.Sqrt(rLo * rLo + iLo * iLo), Vector256.Sqrt(rHi * rHi + iHi * iHi));
                (magnitude * magnitude).CopyTo(power.Slice(k, 8));
            }
        }
        for (; k < power.Length; k++)
        {
            float r = (float)re[k], i = (float)im[k];
            float magnitude = (float)Math.Sqrt((double)r * r + (double)i * i);
            power[k] = magnitude * magnitude;
        }
    }

    /// <summary>Absolute index of the first (unpadded) signal sample that frame <paramref name="frame"/> covers, possibly negative.</summary>
    public long FrameStartSample(int frame) => (long)frame * HopLength - LeadingPad;

    /// <summary>Window times samples of one frame, padding resolved, into <paramref name="dest"/> (NFft values).</summary>
    public void FillWindowedFrame(ReadOnlySpan<float> buffered, long bufferStart, long signalLength, int frame, Span<double> dest)
    {
        long start = FrameStartSample(frame);
        int n = NFft;
        var window = _window;
        if (start >= 0 && start + n <= signalLength)
        {
            var src = buffered.Slice(checked((int)(start - bufferStart)), n);
            for (int j = 0; j < n; j++) dest[j] = window[j] * src[j];
            return;
        }
        for (int j = 0; j < n; j++)
        {
            long index = start + j;
            double sample;
            if (index >= 0 && index < signalLength)
                sample = buffered[checked((int)(index - bufferStart))];
            else if (Options.PadMode == StftPadMode.Constant)
                sample = 0;
            else
                sample = buffered[checked((int)(ReflectIndex(index, signalLength) - bufferStart))];
            dest[j] = window[j] * sample;
        }
    }

    /// <summary>
    /// numpy's reflect padding for any distance from the signal, as repeated mirroring without repeating
    /// the edge: period 2(n - 1); a one-sample signal repeats that sample.
    /// </summary>
    public static long ReflectIndex(long index, long length)
    {
        if (length <= 0) throw new ArgumentOutOfRangeException(nameof(length), length, "Cannot reflect-pad an empty signal.");
        if (length == 1) return 0;
        // One mirror suffices within a signal length of either edge; this also keeps a streaming caller's
        // "length not known yet" (long.MaxValue) away from the overflowing period below.
        if (index < 0 && -index < length) return -index;
        if (index >= length && index - length < length - 1) return 2 * (length - 1) - index;
        long period = 2 * (length - 1);
        long r = index % period;
        if (r < 0) r += period;
        return r < length ? r : period - r;
    }
}
