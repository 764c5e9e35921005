namespace AudioEmbed.Core.Audio.Aac;

/// <summary>window_sequence of an individual channel stream (ISO/IEC 14496-3 Table 4.86).</summary>
internal static class AacWindowSequence
{
    public const int OnlyLong = 0;
    public const int LongStart = 1;
    public const int EightShort = 2;
    public const int LongStop = 3;
}

/// <summary>Band (section) codebook numbers with a meaning of their own (Table 4.87 and 4.6.3.2).</summary>
internal static class AacBandType
{
    public const int Zero = 0;
    public const int Escape = 11;
    public const int Reserved = 12;
    public const int Noise = 13;
    public const int IntensityOutOfPhase = 14;
    public const int IntensityInPhase = 15;
}
