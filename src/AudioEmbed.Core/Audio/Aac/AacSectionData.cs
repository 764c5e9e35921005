namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// section_data (ISO/IEC 14496-3 Table 4.46): the codebook of every transmitted scalefactor band, in runs. Fills
/// the band type and the end of its run for each band of each window group.
/// </summary>
internal static class AacSectionData
{
    public static void Read(AacBitReader br, AacIcsInfo ics, int[] bandType, int[] runEnd, string source)
    {
        int bits = ics.IsEightShort ? 3 : 5;
        int escape = (1 << bits) - 1;
        int idx = 0;
        for (int g = 0; g < ics.NumWindowGroups; g++)
        {
            int k = 0;
            while (k < ics.MaxSfb)
            {
                int end = k;
                int type = br.Read(4);
                if (type == AacBandType.Reserved) throw new AudioDecodeException(source, "an AAC section uses the reserved codebook 12");
                int increment;
                do
                {
                    increment = br.Read(bits);
                    end += increment;
                    if (br.Overrun) throw new AudioDecodeException(source, "AAC section data run past the end of the frame");
                    if (end > ics.MaxSfb) throw new AudioDecodeException(source, $"an AAC section ends at band {end}, beyond the {ics.MaxSfb} transmitted");
                }
                while (increment == escape);
                for (; k < end; k++)
                {
                    bandType[idx] = type;
                    runEnd[idx++] = end;
                }
            }
        }
    }
}
