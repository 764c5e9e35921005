namespace AudioEmbed.Core.Dsp;

/// <summary>How a centred STFT extends the signal beyond its ends.</summary>
public enum StftPadMode
{
    /// <summary>Mirror without repeating the edge sample (numpy <c>reflect</c>): ... x2 x1 | x0 x1 x2 ...</summary>
    Reflect,

    /// <summary>Zeros (numpy <c>constant</c>).</summary>
    Constant,
}

/// <summary>
/// STFT configuration, librosa-style: an FFT of <see cref="NFft"/> points every <see cref="HopLength"/> samples,
/// a window of exactly NFft points, and optional centring (frame t centred on sample t * hop).
/// </summary>
public sealed record StftOptions
{
    public StftOptions(int nFft, int hopLength, double[] window, bool center = true, StftPadMode padMode = StftPadMode.Reflect)
    {
        if (nFft < 2 || !System.Numerics.BitOperations.IsPow2(nFft))
            throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "n_fft must be a power of two, at least 2.");
        if (hopLength < 1)
            throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, "The hop length must be positive.");
        ArgumentNullException.ThrowIfNull(window);
        if (window.Length != nFft)
            throw new ArgumentException($"The window has {window.Length} points; it must have n_fft = {nFft} (pad it to n_fft first).", nameof(window));
        NFft = nFft;
        HopLength = hopLength;
        Window = window;
        Center = center;
        PadMode = padMode;
    }

    public int NFft { get; }

    public int HopLength { get; }

    /// <summary>NFft window weights, applied in double precision.</summary>
    public double[] Window { get; }

    /// <summary>Pad NFft/2 samples on each side so frame t is centred on sample t * hop (librosa's default).</summary>
    public bool Center { get; }

    public StftPadMode PadMode { get; }

    /// <summary>librosa's defaults for a power spectrogram: periodic Hann, centred, reflect padding.</summary>
    public static StftOptions Librosa(int nFft, int hopLength) =>
        new(nFft, hopLength, WindowFunctions.Hann(nFft, periodic: true), center: true, StftPadMode.Reflect);
}
