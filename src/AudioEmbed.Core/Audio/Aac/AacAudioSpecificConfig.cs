namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// The AudioSpecificConfig of an MPEG-4 audio stream (ISO/IEC 14496-3 1.6.2.1) as far as an AAC-LC decoder needs it:
/// object type, sampling frequency, channel configuration and the GASpecificConfig. Profiles other than AAC-LC,
/// including HE-AAC signalled explicitly (object type 5 or 29, or the backward-compatible SBR extension), are
/// refused with a message that names the profile so the caller can hand the file to ffmpeg.
/// </summary>
internal sealed class AacAudioSpecificConfig
{
    public const int ObjectTypeLc = 2;

    public int ObjectType { get; private init; }
    public int SamplingIndex { get; private init; }
    public int SampleRate { get; private init; }
    public int ChannelConfiguration { get; private init; }
    public int Channels { get; private init; }

    public static AacAudioSpecificConfig Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 2) throw new AudioDecodeException(source, $"the AAC AudioSpecificConfig is {bytes.Length} byte(s) long; it needs at least 2");
        var br = new AacBitReader();
        br.Reset(bytes);
        int aot = ReadObjectType(br);
        int sfIndex = br.Read(4);
        int explicitRate = sfIndex == 15 ? br.Read(24) : 0;
        int channelConfig = br.Read(4);

        if (aot is 5 or 29)
            throw new AudioDecodeException(source, $"unsupported AAC profile: {ProfileName(aot)} (audio object type {aot}, signalled in the AudioSpecificConfig); the managed decoder handles AAC-LC only, decode this file with ffmpeg");
        if (aot != ObjectTypeLc)
            throw new AudioDecodeException(source, $"unsupported AAC profile: {ProfileName(aot)} (audio object type {aot}); the managed decoder handles AAC-LC (object type 2) only, decode this file with ffmpeg");

        int rate;
        if (sfIndex < AacScalefactorBands.SampleRates.Length) rate = AacScalefactorBands.SampleRates[sfIndex];
        else if (sfIndex == 15) { rate = explicitRate; sfIndex = NearestIndex(explicitRate); }
        else throw new AudioDecodeException(source, $"the AAC sampling frequency index {sfIndex} is reserved");
        if (rate < 1000 || rate > 96000) throw new AudioDecodeException(source, $"the AAC sampling rate {rate} Hz is outside 1 kHz-96 kHz");

        // GASpecificConfig (4.4.1)
        if (br.ReadBit())
            throw new AudioDecodeException(source, "unsupported AAC-LC variant: 960-sample frames (frameLengthFlag = 1); decode this file with ffmpeg");
        if (br.ReadBit()) br.Skip(14); // dependsOnCoreCoder: coreCoderDelay
        if (br.ReadBit())
            throw new AudioDecodeException(source, "the AAC-LC GASpecificConfig sets extensionFlag, which object type 2 does not allow");

        int channels;
        if (channelConfig == 0)
        {
            var pce = AacProgramConfig.Read(br, source);
            channels = pce.Channels;
        }
        else if (channelConfig <= 2) channels = channelConfig;
        else throw new AudioDecodeException(source, $"unsupported AAC channel configuration {channelConfig} ({ChannelLayoutName(channelConfig)}): the managed decoder handles mono and stereo, decode this file with ffmpeg");

        if (channels is < 1 or > 2)
            throw new AudioDecodeException(source, $"unsupported AAC program configuration with {channels} channels: the managed decoder handles mono and stereo, decode this file with ffmpeg");

        // A backward-compatible explicit SBR signal (sync extension 0x2b7, object type 5, sbrPresentFlag) after the
        // GASpecificConfig makes the stream HE-AAC: its output rate is twice the core's, which this decoder cannot give.
        if (!br.Overrun && br.BitsLeft >= 16 && br.Read(11) == 0x2b7)
        {
            int extType = ReadObjectType(br);
            if (extType == 5 && br.BitsLeft >= 1 && br.ReadBit())
                throw new AudioDecodeException(source, "unsupported AAC profile: HE-AAC (SBR signalled by the backward-compatible extension of the AudioSpecificConfig); decode this file with ffmpeg");
        }
        if (br.Overrun) throw new AudioDecodeException(source, "the AAC AudioSpecificConfig is cut short");

        return new AacAudioSpecificConfig
        {
            ObjectType = aot, SamplingIndex = sfIndex, SampleRate = rate, ChannelConfiguration = channelConfig, Channels = channels,
        };
    }

    private static int ReadObjectType(AacBitReader br)
    {
        int aot = br.Read(5);
        return aot == 31 ? 32 + br.Read(6) : aot;
    }

    /// <summary>For an explicit rate, the band tables of the nearest standard rate (as 4.5.1.1 prescribes).</summary>
    private static int NearestIndex(int rate)
    {
        // Table 4.82: rate ranges mapped to the sampling frequency index whose tables are used.
        int[] lower = { 92017, 75132, 55426, 46009, 37566, 27713, 23004, 18783, 13856, 11502, 9391, 0 };
        for (int i = 0; i < lower.Length; i++) if (rate >= lower[i]) return i;
        return 11;
    }

    public static string ProfileName(int aot) => aot switch
    {
        1 => "AAC Main",
        2 => "AAC-LC",
        3 => "AAC SSR",
        4 => "AAC LTP",
        5 => "HE-AAC (SBR)",
        6 => "AAC Scalable",
        17 => "ER AAC-LC",
        19 => "ER AAC LTP",
        20 => "ER AAC Scalable",
        23 => "AAC-LD",
        29 => "HE-AAC v2 (SBR + parametric stereo)",
        39 => "AAC-ELD",
        42 => "USAC (xHE-AAC)",
        _ => $"MPEG-4 audio object type {aot}",
    };

    private static string ChannelLayoutName(int config) => config switch
    {
        3 => "3 channels",
        4 => "4 channels",
        5 => "5 channels",
        6 => "5.1",
        7 => "7.1",
        _ => "reserved",
    };
}
