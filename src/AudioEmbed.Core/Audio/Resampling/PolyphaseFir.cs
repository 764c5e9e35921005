namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// A rational-ratio FIR resampling stage in its polyphase form: output o is one dot product of the row for phase
/// r = o mod P with the input window x[(o div P)·Q + Offsets[r] ..+ Width), samples outside the input counting as
/// zero. Every linear-phase upsample-filter-downsample stage (soxr's DFT, polyphase and half-band stages, torchaudio's
/// strided convolution) reduces to this; rows are padded with zeros to one common width so the dot products vectorise.
/// </summary>
internal sealed class PolyphaseFir : IResamplingStage
{
    public PolyphaseFir(int phases, int inputStep, int width, float[] rows, int[] offsets)
    {
        if (phases <= 0 || inputStep <= 0 || width <= 0) throw new ArgumentException("Phases, step and width must be positive.");
        if (rows.Length != phases * width || offsets.Length != phases) throw new ArgumentException("Rows and offsets do not match the phase count.");
        for (int r = 1; r < phases; r++)
            if (offsets[r] < offsets[r - 1]) throw new ArgumentException("Window starts must not move backwards from one phase to the next.");
        if (offsets[phases - 1] > offsets[0] + inputStep) throw new ArgumentException("Window starts must not move backwards across a period.");
        P = phases;
        Q = inputStep;
        // Rows padded with zeros to whole SIMD vectors, so every dot product runs without a scalar tail.
        Width = (width + VectorWidth - 1) / VectorWidth * VectorWidth;
        Rows = new float[phases * Width];
        for (int r = 0; r < phases; r++) Array.Copy(rows, r * width, Rows, r * Width, width);
        Offsets = offsets;
    }

    /// <summary>The padding unit of <see cref="Width"/>: eight float32, one 256-bit vector.</summary>
    public const int VectorWidth = 8;

    /// <summary>Outputs per period.</summary>
    public int P { get; }

    /// <summary>Input samples per period.</summary>
    public int Q { get; }

    /// <summary>Taps per row (a multiple of <see cref="VectorWidth"/>; the padding taps are zero).</summary>
    public int Width { get; }

    /// <summary>P rows of <see cref="Width"/> taps, row r for outputs o ≡ r (mod P).</summary>
    public float[] Rows { get; }

    /// <summary>First input index of row r's window, relative to (o div P)·Q; negative on the left wing.</summary>
    public int[] Offsets { get; }

    public IAudioSource Open(IAudioSource input, int sampleRateOut) => new PolyphaseFirSource(input, sampleRateOut, this);

    /// <summary>Index of the first input sample that output <paramref name="o"/> reads.</summary>
    public long WindowStart(long o) => o / P * Q + Offsets[o % P];

    /// <summary>
    /// Builds the stage y[o] = Σ_j h[o·M − j·L] · x[j] for a filter h centred on index 0 (h[d] = taps[d + centre]),
    /// i.e. upsample by L, filter, keep every M-th sample, with zero delay. L and M must be coprime.
    /// </summary>
    public static PolyphaseFir FromCentredFilter(int upsample, int downsample, float[] taps, int centre)
    {
        int l = upsample, m = downsample;
        int reachLeft = centre, reachRight = taps.Length - 1 - centre;
        // Output o with o·M = q·L + p reads inputs j = q + d whose h index p − d·L lies in [−reachLeft, reachRight],
        // i.e. j from ceil((o·M − reachRight) / L) to floor((o·M + reachLeft) / L). Phase r = o mod L repeats every
        // L outputs and M inputs.
        var offsets = new int[l];
        var counts = new int[l];
        int width = 1;
        for (int r = 0; r < l; r++)
        {
            long rm = (long)r * m;
            offsets[r] = (int)CeilDiv(rm - reachRight, l);
            counts[r] = (int)(FloorDiv(rm + reachLeft, l) - offsets[r] + 1);
            width = Math.Max(width, counts[r]);
        }
        var rows = new float[l * width];
        for (int r = 0; r < l; r++)
        {
            long rm = (long)r * m;
            for (int k = 0; k < counts[r]; k++)
            {
                long j = offsets[r] + k;
                rows[r * width + k] = taps[(int)(rm - j * l) + centre];
            }
        }
        return new PolyphaseFir(l, m, width, rows, offsets);
    }

    internal static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    internal static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}
