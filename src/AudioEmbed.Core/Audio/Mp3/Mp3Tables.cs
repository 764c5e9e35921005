namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// Constant tables of ISO/IEC 11172-3 and 13818-3 Layer III (transcribed facts): bitrates, sample rates,
/// scale-factor band widths, pre-emphasis, scale-factor bit lengths and the synthesis window.
/// Sample-rate index 0..8 = 44100, 48000, 32000 (MPEG-1), 22050, 24000, 16000 (MPEG-2 LSF),
/// 11025, 12000, 8000 (MPEG-2.5).
/// </summary>
internal static class Mp3Tables
{
    public static readonly int[] SampleRates = { 44100, 48000, 32000, 22050, 24000, 16000, 11025, 12000, 8000 };

    /// <summary>
    /// Index of MPEG-2.5's 8 kHz in <see cref="SampleRates"/>: the one rate whose scale-factor bands are twice as wide
    /// at the bottom, so its region and mixed-block boundaries differ from every other LSF rate.
    /// </summary>
    public const int SampleRateIndex8kHz = 8;

    /// <summary>Layer III bitrates in kbit/s by bitrate index; index 0 = free format, 15 = invalid.</summary>
    public static readonly int[] BitratesMpeg1 = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };
    public static readonly int[] BitratesLsf = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 };

    /// <summary>Long-block scale-factor band widths (22 bands summing to 576) per sample-rate index.</summary>
    private static readonly byte[][] LongWidths =
    {
        new byte[] { 4, 4, 4, 4, 4, 4, 6, 6, 8, 8, 10, 12, 16, 20, 24, 28, 34, 42, 50, 54, 76, 158 },
        new byte[] { 4, 4, 4, 4, 4, 4, 6, 6, 6, 8, 10, 12, 16, 18, 22, 28, 34, 40, 46, 54, 54, 192 },
        new byte[] { 4, 4, 4, 4, 4, 4, 6, 6, 8, 10, 12, 16, 20, 24, 30, 38, 46, 56, 68, 84, 102, 26 },
        new byte[] { 6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54 },
        new byte[] { 6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 18, 22, 26, 32, 38, 46, 54, 62, 70, 76, 36 },
        new byte[] { 6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54 },
        new byte[] { 6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54 },
        new byte[] { 6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54 },
        new byte[] { 12, 12, 12, 12, 12, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 76, 90, 2, 2, 2, 2, 2 },
    };

    /// <summary>Short-block scale-factor band widths (13 bands summing to 192, per window) per sample-rate index.</summary>
    private static readonly byte[][] ShortWidths =
    {
        new byte[] { 4, 4, 4, 4, 6, 8, 10, 12, 14, 18, 22, 30, 56 },
        new byte[] { 4, 4, 4, 4, 6, 6, 10, 12, 14, 16, 20, 26, 66 },
        new byte[] { 4, 4, 4, 4, 6, 8, 12, 16, 20, 26, 34, 42, 12 },
        new byte[] { 4, 4, 4, 6, 6, 8, 10, 14, 18, 26, 32, 42, 18 },
        new byte[] { 4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 32, 44, 12 },
        new byte[] { 4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18 },
        new byte[] { 4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18 },
        new byte[] { 4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18 },
        new byte[] { 8, 8, 8, 12, 16, 20, 24, 28, 36, 2, 2, 2, 26 },
    };

    /// <summary>Long band start indices: LongBounds[sr][b] .. LongBounds[sr][b+1], 23 entries.</summary>
    public static readonly short[][] LongBounds = Cumulate(LongWidths);

    /// <summary>Short band start indices within one window: 14 entries.</summary>
    public static readonly short[][] ShortBounds = Cumulate(ShortWidths);

    /// <summary>Pre-emphasis added to long-block scale factors when preflag is set (bands 0..21).</summary>
    public static readonly byte[] Pretab = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 2, 0 };

    /// <summary>MPEG-1 scale-factor bit lengths (slen1, slen2) by scalefac_compress.</summary>
    public static readonly byte[] Slen1 = { 0, 0, 0, 0, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4 };
    public static readonly byte[] Slen2 = { 0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 3 };

    /// <summary>
    /// MPEG-2 LSF: number of scale factors in each of the 4 partitions, [table][block kind][partition];
    /// table 0..2 without intensity (by scalefac_compress range), 3..5 for the intensity right channel;
    /// block kind 0 = long, 1 = short, 2 = mixed. Short/mixed counts are per window entry.
    /// </summary>
    public static readonly byte[,,] LsfPartitionSizes =
    {
        { { 6, 5, 5, 5 }, { 9, 9, 9, 9 }, { 6, 9, 9, 9 } },
        { { 6, 5, 7, 3 }, { 9, 9, 12, 6 }, { 6, 9, 12, 6 } },
        { { 11, 10, 0, 0 }, { 18, 18, 0, 0 }, { 15, 18, 0, 0 } },
        { { 7, 7, 7, 0 }, { 12, 12, 12, 0 }, { 6, 15, 12, 0 } },
        { { 6, 6, 6, 3 }, { 12, 9, 9, 6 }, { 6, 12, 9, 6 } },
        { { 8, 8, 5, 0 }, { 15, 12, 9, 0 }, { 6, 18, 9, 0 } },
    };

    /// <summary>Alias-reduction butterfly coefficients c[i] of the standard.</summary>
    public static readonly double[] AliasCoefficients = { -0.6, -0.535, -0.33, -0.185, -0.095, -0.041, -0.0142, -0.0037 };

    /// <summary>
    /// First half (D[0..256]) of the synthesis window, in units of 2^-16: the standard's table D values are
    /// exactly these integers / 65536 with the sign flipped in every odd block of 64 (see <see cref="SynthesisWindow"/>).
    /// </summary>
    private static readonly int[] SynthesisWindowHalf =
    {
        0, -1, -1, -1, -1, -1, -1, -2, -2, -2,
        -2, -3, -3, -4, -4, -5, -5, -6, -7, -7,
        -8, -9, -10, -11, -13, -14, -16, -17, -19, -21,
        -24, -26, -29, -31, -35, -38, -41, -45, -49, -53,
        -58, -63, -68, -73, -79, -85, -91, -97, -104, -111,
        -117, -125, -132, -139, -147, -154, -161, -169, -176, -183,
        -190, -196, -202, -208, -213, -218, -222, -225, -227, -228,
        -228, -227, -224, -221, -215, -208, -200, -189, -177, -163,
        -146, -127, -106, -83, -57, -29, 2, 36, 72, 111,
        153, 197, 244, 294, 347, 401, 459, 519, 581, 645,
        711, 779, 848, 919, 991, 1064, 1137, 1210, 1283, 1356,
        1428, 1498, 1567, 1634, 1698, 1759, 1817, 1870, 1919, 1962,
        2001, 2032, 2057, 2075, 2085, 2087, 2080, 2063, 2037, 2000,
        1952, 1893, 1822, 1739, 1644, 1535, 1414, 1280, 1131, 970,
        794, 605, 402, 185, -45, -288, -545, -814, -1095, -1388,
        -1692, -2006, -2330, -2663, -3004, -3351, -3705, -4063, -4425, -4788,
        -5153, -5517, -5879, -6237, -6589, -6935, -7271, -7597, -7910, -8209,
        -8491, -8755, -8998, -9219, -9416, -9585, -9727, -9838, -9916, -9959,
        -9966, -9935, -9863, -9750, -9592, -9389, -9139, -8840, -8492, -8092,
        -7640, -7134, -6574, -5959, -5288, -4561, -3776, -2935, -2037, -1082,
        -70, 998, 2122, 3300, 4533, 5818, 7154, 8540, 9975, 11455,
        12980, 14548, 16155, 17799, 19478, 21189, 22929, 24694, 26482, 28289,
        30112, 31947, 33791, 35640, 37489, 39336, 41176, 43006, 44821, 46617,
        48390, 50137, 51853, 53534, 55178, 56778, 58333, 59838, 61289, 62684,
        64019, 65290, 66494, 67629, 68692, 69679, 70590, 71420, 72169, 72835,
        73415, 73908, 74313, 74630, 74856, 74992, 75038,
    };

    /// <summary>The full 512-entry synthesis window D[i] of the standard (table B.3).</summary>
    public static readonly float[] SynthesisWindow = BuildSynthesisWindow();

    private static float[] BuildSynthesisWindow()
    {
        var d = new float[512];
        for (int i = 0; i <= 256; i++)
        {
            double v = SynthesisWindowHalf[i] / 65536.0;
            d[i] = (float)(((i >> 6) & 1) == 1 ? -v : v);
        }
        // The window is antisymmetric about 256 except on multiples of 64, where it is symmetric.
        for (int i = 1; i < 256; i++)
            d[512 - i] = i % 64 == 0 ? d[i] : -d[i];
        return d;
    }

    private static short[][] Cumulate(byte[][] widths)
    {
        var result = new short[widths.Length][];
        for (int s = 0; s < widths.Length; s++)
        {
            var b = new short[widths[s].Length + 1];
            for (int i = 0; i < widths[s].Length; i++) b[i + 1] = (short)(b[i] + widths[s][i]);
            result[s] = b;
        }
        return result;
    }
}
