using System.Collections.Concurrent;

namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// torchaudio's <c>functional.resample</c> kernel with its defaults (<c>sinc_interp_hann</c>,
/// <c>lowpass_filter_width</c> 6, <c>rolloff</c> 0.99), as a polyphase stage. The rates are reduced by their gcd to
/// orig/new; output phase j (of new) weights the padded input at k = 0 .. 2·width + orig − 1 with
/// t = (−j/new + (k − width)/orig) · base, clamped to ±width_lp, kernel = sinc(π t) · cos²(π t / (2 width_lp)) · base/orig,
/// and conv1d with stride orig over the input padded by width on the left. <c>functional.resample</c> passes the
/// waveform's dtype to the kernel builder, so for float32 audio every step of the kernel runs in float32; this does the
/// same. Taps where t is clamped (|t| = width_lp, where the window is zero up to float32 rounding, below 1e-14) are dropped.
/// </summary>
internal static class TorchaudioKernel
{
    public const int LowpassFilterWidth = 6;
    public const double Rolloff = 0.99;

    private static readonly ConcurrentDictionary<(int, int), PolyphaseFir> Cache = new();

    public static PolyphaseFir Get(int sampleRateIn, int sampleRateOut) =>
        Cache.GetOrAdd((sampleRateIn, sampleRateOut), key => Build(key.Item1, key.Item2));

    /// <summary>torchaudio's output length: ceil(new · n / orig), the division in float64 as Python does it.</summary>
    public static long OutputLength(long inputLength, int sampleRateIn, int sampleRateOut)
    {
        int g = Gcd(sampleRateIn, sampleRateOut);
        long orig = sampleRateIn / g, nw = sampleRateOut / g;
        return (long)Math.Ceiling((double)(nw * inputLength) / orig);
    }

    private static PolyphaseFir Build(int sampleRateIn, int sampleRateOut)
    {
        int g = Gcd(sampleRateIn, sampleRateOut);
        int orig = sampleRateIn / g, nw = sampleRateOut / g;
        double baseFreq = Math.Min(orig, nw) * Rolloff;
        int width = (int)Math.Ceiling(LowpassFilterWidth * orig / baseFreq);
        int taps = 2 * width + orig;
        float lpw = LowpassFilterWidth;
        float baseF = (float)baseFreq, piF = (float)Math.PI, scale = (float)(baseFreq / orig);

        var kernel = new float[nw * taps];
        var first = new int[nw];
        var last = new int[nw];
        for (int j = 0; j < nw; j++)
        {
            first[j] = -1;
            float phase = -(float)j / nw;
            for (int k = 0; k < taps; k++)
            {
                float idx = (float)(k - width) / orig;
                float t = (phase + idx) * baseF;
                if (t <= -lpw || t >= lpw) continue; // clamped: the window's zero
                float window = MathF.Cos(t * piF / lpw / 2f);
                window *= window;
                float tp = t * piF;
                float sinc = tp == 0f ? 1f : MathF.Sin(tp) / tp;
                kernel[j * taps + k] = sinc * (window * scale);
                if (first[j] < 0) first[j] = k;
                last[j] = k;
            }
        }
        // Output o = i·new + j reads padded[i·orig + k] = x[i·orig + k − width].
        int rowWidth = 1;
        for (int j = 0; j < nw; j++) rowWidth = Math.Max(rowWidth, last[j] - first[j] + 1);
        var rows = new float[nw * rowWidth];
        var offsets = new int[nw];
        for (int j = 0; j < nw; j++)
        {
            offsets[j] = first[j] - width;
            Array.Copy(kernel, j * taps + first[j], rows, j * rowWidth, last[j] - first[j] + 1);
        }
        return new PolyphaseFir(nw, orig, rowWidth, rows, offsets);
    }

    internal static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }
}
