namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>The 32-bit MPEG audio frame header, parsed. Layer I/II headers parse too so they can be reported.</summary>
internal readonly struct Mp3FrameHeader
{
    public readonly uint Raw;

    private Mp3FrameHeader(uint raw) => Raw = raw;

    /// <summary>1 = MPEG-1, 2 = MPEG-2 LSF, 25 = MPEG-2.5.</summary>
    public int Version => ((Raw >> 19) & 3) switch { 3 => 1, 2 => 2, _ => 25 };
    public bool IsMpeg1 => ((Raw >> 19) & 3) == 3;
    public bool IsLsf => !IsMpeg1;
    /// <summary>1, 2 or 3.</summary>
    public int Layer => 4 - (int)((Raw >> 17) & 3);
    public bool HasCrc => ((Raw >> 16) & 1) == 0;
    public int BitrateIndex => (int)((Raw >> 12) & 15);
    public bool IsFreeFormat => BitrateIndex == 0;
    public int SampleRateIndex => (int)((Raw >> 10) & 3) + (IsMpeg1 ? 0 : ((Raw >> 19) & 3) == 2 ? 3 : 6);
    public int SampleRate => Mp3Tables.SampleRates[SampleRateIndex];
    public int Padding => (int)((Raw >> 9) & 1);
    public Mp3ChannelMode ChannelMode => (Mp3ChannelMode)((Raw >> 6) & 3);
    /// <summary>In joint stereo: bit 1 mid/side stereo, bit 0 intensity stereo.</summary>
    public int ModeExtension => (int)((Raw >> 4) & 3);
    public int Channels => ChannelMode == Mp3ChannelMode.Mono ? 1 : 2;
    public bool MsStereo => ChannelMode == Mp3ChannelMode.JointStereo && (ModeExtension & 2) != 0;
    public bool IntensityStereo => ChannelMode == Mp3ChannelMode.JointStereo && (ModeExtension & 1) != 0;
    public int SamplesPerFrame => Layer == 1 ? 384 : Layer == 2 || IsMpeg1 ? 1152 : 576;
    public int Granules => IsMpeg1 ? 2 : 1;
    public int SideInfoBytes => IsMpeg1 ? (Channels == 1 ? 17 : 32) : (Channels == 1 ? 9 : 17);
    public int BitrateKbps => (IsMpeg1 ? Mp3Tables.BitratesMpeg1 : Mp3Tables.BitratesLsf)[BitrateIndex];

    /// <summary>Bitrate for any layer, used only to measure (and so recognise) Layer I/II frames.</summary>
    public int AnyLayerBitrateKbps => Layer == 3 ? BitrateKbps
        : Layer == 1 ? (IsMpeg1 ? 32 * BitrateIndex : LsfLayer1Bitrates[BitrateIndex])
        : IsMpeg1 ? Mpeg1Layer2Bitrates[BitrateIndex] : Mp3Tables.BitratesLsf[BitrateIndex];

    private static readonly int[] Mpeg1Layer2Bitrates = { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 };
    private static readonly int[] LsfLayer1Bitrates = { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 };

    /// <summary>Frame length in bytes including the header, for a non-free-format Layer III frame.</summary>
    public int FrameBytes => (IsMpeg1 ? 144000 : 72000) * BitrateKbps / SampleRate + Padding;

    /// <summary>
    /// The fields that stay constant along a stream and that resync compares: version, layer, sample rate,
    /// mono or not (the output channel count) and free format or not.
    /// </summary>
    public uint StreamSignature => (Raw & 0xFFFE0C00) | (ChannelMode == Mp3ChannelMode.Mono ? 1u : 0u) | (IsFreeFormat ? 2u : 0u);

    /// <summary>
    /// Parses 4 bytes as a header; false when the sync word, version, layer, bitrate or sample-rate fields are
    /// reserved values (emphasis "2" is reserved too but harmless, so it is accepted).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> b, out Mp3FrameHeader header)
    {
        header = default;
        if (b.Length < 4 || b[0] != 0xFF || (b[1] & 0xE0) != 0xE0) return false;
        uint raw = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        if (((raw >> 19) & 3) == 1) return false;   // reserved version
        if (((raw >> 17) & 3) == 0) return false;   // reserved layer
        if (((raw >> 12) & 15) == 15) return false; // invalid bitrate
        if (((raw >> 10) & 3) == 3) return false;   // reserved sample rate
        header = new Mp3FrameHeader(raw);
        return true;
    }
}
