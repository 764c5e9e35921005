namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// Temporal noise shaping (ISO/IEC 14496-3 Table 4.48, 4.6.9): up to three (long) or one (short, per window) all-pole
/// filters run over the spectral lines of a band range, upwards or downwards. Coefficients arrive as quantised
/// reflection coefficients (3 or 4 bits, optionally with the top bit dropped), become sin() values and are turned into
/// direct-form LPC coefficients by the Levinson step-up recursion.
/// </summary>
internal sealed class AacTns
{
    private const int MaxOrderLong = 12; // AAC-LC
    private const int MaxOrderShort = 7;

    public bool Present;
    private readonly int[] _filters = new int[8];
    private readonly int[,] _length = new int[8, 3];
    private readonly int[,] _order = new int[8, 3];
    private readonly bool[,] _downward = new bool[8, 3];
    private readonly float[,,] _coef = new float[8, 3, MaxOrderLong];

    /// <summary>The dequantised reflection coefficients, [resolution bits - 3][compressed][raw code].</summary>
    private static readonly float[][][] CoefficientTable = BuildCoefficientTable();

    private static float[][][] BuildCoefficientTable()
    {
        var t = new float[2][][];
        for (int res = 3; res <= 4; res++)
        {
            t[res - 3] = new float[2][];
            // 4.6.9.3: iqfac = ((1 << (res-1)) - 0.5) / (pi/2) for non-negative codes, + 0.5 for negative ones.
            double iqfac = ((1 << (res - 1)) - 0.5) / (Math.PI / 2), iqfacM = ((1 << (res - 1)) + 0.5) / (Math.PI / 2);
            for (int compress = 0; compress <= 1; compress++)
            {
                int bits = res - compress;
                var row = new float[1 << bits];
                for (int code = 0; code < row.Length; code++)
                {
                    int v = code >= 1 << (bits - 1) ? code - (1 << bits) : code; // sign-extend
                    row[code] = (float)Math.Sin(v / (v >= 0 ? iqfac : iqfacM));
                }
                t[res - 3][compress] = row;
            }
        }
        return t;
    }

    public void Read(AacBitReader br, AacIcsInfo ics, string source)
    {
        bool shortWindows = ics.IsEightShort;
        int maxOrder = shortWindows ? MaxOrderShort : MaxOrderLong;
        for (int w = 0; w < ics.NumWindows; w++)
        {
            _filters[w] = br.Read(shortWindows ? 1 : 2);
            if (_filters[w] == 0) continue;
            int resolution = br.ReadBit() ? 4 : 3;
            for (int f = 0; f < _filters[w]; f++)
            {
                _length[w, f] = br.Read(shortWindows ? 4 : 6);
                int order = br.Read(shortWindows ? 3 : 5);
                if (order > maxOrder) throw new AudioDecodeException(source, $"an AAC TNS filter has order {order}, above the {maxOrder} AAC-LC allows");
                _order[w, f] = order;
                if (order == 0) continue;
                _downward[w, f] = br.ReadBit();
                int compress = br.ReadBit() ? 1 : 0;
                var row = CoefficientTable[resolution - 3][compress];
                int bits = resolution - compress;
                for (int i = 0; i < order; i++) _coef[w, f, i] = row[br.Read(bits)];
            }
        }
    }

    /// <summary>Runs the decoder (all-pole) filters over the spectrum of every window; returns how many ran.</summary>
    public int Apply(float[] coefficients, AacIcsInfo ics)
    {
        int limit = Math.Min(ics.TnsMaxBands, ics.MaxSfb);
        if (limit == 0) return 0;
        int applied = 0;
        Span<float> lpc = stackalloc float[MaxOrderLong];
        Span<float> previous = stackalloc float[MaxOrderLong];
        var offsets = ics.SwbOffset;
        for (int w = 0; w < ics.NumWindows; w++)
        {
            int bottom = ics.NumSwb;
            for (int f = 0; f < _filters[w]; f++)
            {
                int top = bottom;
                bottom = Math.Max(0, top - _length[w, f]);
                int order = _order[w, f];
                if (order == 0) continue;

                // Step-up recursion: reflection coefficients k_1..k_p to a_1..a_p of 1 + sum a_i z^-i.
                for (int m = 0; m < order; m++)
                {
                    float k = _coef[w, f, m];
                    lpc[..m].CopyTo(previous);
                    for (int i = 0; i < m; i++) lpc[i] = previous[i] + k * previous[m - 1 - i];
                    lpc[m] = k;
                }

                int start = offsets[Math.Min(bottom, limit)];
                int end = offsets[Math.Min(top, limit)];
                int size = end - start;
                if (size <= 0) continue;
                applied++;
                int inc = 1;
                if (_downward[w, f]) { inc = -1; start = end - 1; }
                start += w * 128;
                for (int n = 0; n < size; n++, start += inc)
                {
                    float y = coefficients[start];
                    int taps = Math.Min(n, order);
                    for (int i = 1; i <= taps; i++) y -= coefficients[start - i * inc] * lpc[i - 1];
                    coefficients[start] = y;
                }
            }
        }
        return applied;
    }
}
