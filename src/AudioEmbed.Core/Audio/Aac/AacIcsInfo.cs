namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// ics_info (ISO/IEC 14496-3 Table 4.6): window sequence and shape of this frame and of the previous one (the
/// filterbank overlaps with the previous shape), the transmitted band count, and the grouping of short windows.
/// </summary>
internal sealed class AacIcsInfo
{
    public int WindowSequence;
    public int PreviousWindowSequence;
    public bool KbdWindow;
    public bool PreviousKbdWindow;
    public int MaxSfb;
    public int NumWindows = 1;
    public int NumWindowGroups = 1;
    public readonly int[] GroupLength = new int[8];
    public ushort[] SwbOffset = AacScalefactorBands.LongOffsets[4];
    public int NumSwb;
    public int TnsMaxBands;

    public bool IsEightShort => WindowSequence == AacWindowSequence.EightShort;

    public void Read(AacBitReader br, int samplingIndex, string source)
    {
        if (br.ReadBit()) throw new AudioDecodeException(source, "an AAC ics_info has its reserved bit set");
        PreviousWindowSequence = WindowSequence;
        WindowSequence = br.Read(2);
        PreviousKbdWindow = KbdWindow;
        KbdWindow = br.ReadBit();
        NumWindowGroups = 1;
        GroupLength[0] = 1;
        if (WindowSequence == AacWindowSequence.EightShort)
        {
            MaxSfb = br.Read(4);
            for (int i = 0; i < 7; i++)
            {
                if (br.ReadBit()) GroupLength[NumWindowGroups - 1]++;
                else GroupLength[NumWindowGroups++] = 1;
            }
            NumWindows = 8;
            SwbOffset = AacScalefactorBands.ShortOffsets[samplingIndex];
            TnsMaxBands = AacScalefactorBands.TnsMaxBandsShort[samplingIndex];
        }
        else
        {
            MaxSfb = br.Read(6);
            NumWindows = 1;
            SwbOffset = AacScalefactorBands.LongOffsets[samplingIndex];
            TnsMaxBands = AacScalefactorBands.TnsMaxBandsLong[samplingIndex];
            if (br.ReadBit())
                throw new AudioDecodeException(source, "an AAC-LC frame sets predictor_data_present (prediction belongs to AAC Main/LTP)");
        }
        NumSwb = SwbOffset.Length - 1;
        if (MaxSfb > NumSwb)
        {
            int bad = MaxSfb;
            MaxSfb = 0;
            throw new AudioDecodeException(source, $"an AAC frame transmits {bad} scalefactor bands; this rate has {NumSwb}");
        }
    }

    /// <summary>
    /// A CPE with common_window gives the second channel the first channel's ics_info; the second channel keeps
    /// only its own previous window shape (the left half of its window still overlaps its own last frame).
    /// </summary>
    public void CopyCommonFrom(AacIcsInfo other)
    {
        bool ownPreviousKbd = KbdWindow;
        WindowSequence = other.WindowSequence;
        PreviousWindowSequence = other.PreviousWindowSequence;
        KbdWindow = other.KbdWindow;
        PreviousKbdWindow = ownPreviousKbd;
        MaxSfb = other.MaxSfb;
        NumWindows = other.NumWindows;
        NumWindowGroups = other.NumWindowGroups;
        Array.Copy(other.GroupLength, GroupLength, 8);
        SwbOffset = other.SwbOffset;
        NumSwb = other.NumSwb;
        TnsMaxBands = other.TnsMaxBands;
    }
}
