namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// Scalefactor band layouts per sampling frequency index (ISO/IEC 14496-3 Tables 4.129-4.147) and the TNS band
/// limits for AAC-LC (Table 4.155). The band tables are written here as runs of equal band widths
/// ("count x width"), which is shorter and easier to check than the offsets; the offsets are built from them.
/// </summary>
internal static class AacScalefactorBands
{
    /// <summary>Sampling frequencies by index (Table 1.18); 13 and 14 are reserved, 15 means "explicit".</summary>
    public static readonly int[] SampleRates = { 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350 };

    private static readonly ushort[] Long96 = Build("14x4 5x8 5x12 2x16 1x24 1x28 1x36 1x44 11x64", 1024);
    private static readonly ushort[] Long64 = Build("14x4 4x8 3x12 3x16 1x20 2x24 1x28 1x36 18x40", 1024);
    private static readonly ushort[] Long48 = Build("10x4 7x8 4x12 2x16 2x20 2x24 2x28 19x32 1x96", 1024);
    private static readonly ushort[] Long32 = Build("10x4 7x8 4x12 2x16 2x20 2x24 2x28 22x32", 1024);
    private static readonly ushort[] Long24 = Build("11x4 10x8 4x12 3x16 2x20 2x24 2x28 1x32 2x36 1x40 1x44 1x48 2x52 5x64", 1024);
    private static readonly ushort[] Long16 = Build("11x8 9x12 4x16 3x20 2x24 2x28 1x32 1x36 2x40 1x44 1x48 1x52 1x56 1x60 3x64", 1024);
    private static readonly ushort[] Long8 = Build("13x12 7x16 4x20 3x24 2x28 1x32 2x36 1x40 1x44 1x48 1x52 1x56 1x60 1x64 1x80", 1024);

    private static readonly ushort[] Short96 = Build("6x4 3x8 1x16 1x28 1x36", 128);
    private static readonly ushort[] Short48 = Build("5x4 3x8 3x12 3x16", 128);
    private static readonly ushort[] Short24 = Build("7x4 3x8 2x12 2x16 1x20", 128);
    private static readonly ushort[] Short16 = Build("8x4 2x8 2x12 1x16 2x20", 128);
    private static readonly ushort[] Short8 = Build("7x4 4x8 1x12 1x16 2x20", 128);

    /// <summary>Band start offsets for 1024-line frames, with the end (1024) as the last entry.</summary>
    public static readonly ushort[][] LongOffsets =
        { Long96, Long96, Long64, Long48, Long48, Long32, Long24, Long24, Long16, Long16, Long16, Long8, Long8 };

    /// <summary>Band start offsets for each 128-line short window, with the end (128) as the last entry.</summary>
    public static readonly ushort[][] ShortOffsets =
        { Short96, Short96, Short96, Short48, Short48, Short48, Short24, Short24, Short16, Short16, Short16, Short8, Short8 };

    /// <summary>TNS_MAX_BANDS for AAC-LC, long and short windows.</summary>
    public static readonly byte[] TnsMaxBandsLong = { 31, 31, 34, 40, 42, 51, 46, 46, 42, 42, 42, 39, 39 };
    public static readonly byte[] TnsMaxBandsShort = { 9, 9, 10, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14 };

    private static ushort[] Build(string runs, int total)
    {
        var offsets = new List<ushort> { 0 };
        int at = 0;
        foreach (var run in runs.Split(' '))
        {
            var parts = run.Split('x');
            int count = int.Parse(parts[0]), width = int.Parse(parts[1]);
            for (int i = 0; i < count; i++) offsets.Add((ushort)(at += width));
        }
        if (at != total) throw new InvalidOperationException($"band table sums to {at}, not {total}");
        return offsets.ToArray();
    }
}
