namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// program_config_element (ISO/IEC 14496-3 Table 4.2): read in full so that the bits after it line up, and
/// summarised as the number of output channels it declares (a CPE counts two, an SCE or LFE one).
/// </summary>
internal readonly record struct AacProgramConfig(int Channels)
{
    public static AacProgramConfig Read(AacBitReader br, string source)
    {
        br.Skip(4 + 2 + 4); // element_instance_tag, object_type, sampling_frequency_index
        int front = br.Read(4), side = br.Read(4), back = br.Read(4), lfe = br.Read(2), assoc = br.Read(3), cc = br.Read(4);
        if (br.ReadBit()) br.Skip(4); // mono_mixdown
        if (br.ReadBit()) br.Skip(4); // stereo_mixdown
        if (br.ReadBit()) br.Skip(3); // matrix_mixdown
        int channels = 0;
        for (int i = 0; i < front + side + back; i++)
        {
            channels += br.ReadBit() ? 2 : 1;
            br.Skip(4);
        }
        channels += lfe;
        br.Skip(4 * lfe + 4 * assoc + 5 * cc);
        br.ByteAlign();
        int comment = br.Read(8);
        br.Skip(8 * comment);
        if (br.Overrun) throw new AudioDecodeException(source, "an AAC program_config_element is cut short");
        return new AacProgramConfig(channels);
    }
}
