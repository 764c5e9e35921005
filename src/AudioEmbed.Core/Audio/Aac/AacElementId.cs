namespace AudioEmbed.Core.Audio.Aac;

/// <summary>Syntactic element ids of raw_data_block (ISO/IEC 14496-3 Table 4.85).</summary>
internal static class AacElementId
{
    public const int SingleChannel = 0;
    public const int ChannelPair = 1;
    public const int Coupling = 2;
    public const int LowFrequency = 3;
    public const int DataStream = 4;
    public const int ProgramConfig = 5;
    public const int Fill = 6;
    public const int End = 7;

    /// <summary>extension_type values of a fill element that carry SBR data (Table 4.121).</summary>
    public const int ExtensionSbr = 13;
    public const int ExtensionSbrCrc = 14;
}
