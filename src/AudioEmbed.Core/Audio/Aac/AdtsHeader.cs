namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// One ADTS frame header (ISO/IEC 13818-7 6.2, 14496-3 1.A.2): 12-bit sync 0xFFF, ID, layer (always 00 — MP3's
/// layer bits are never 00, which is how the two are told apart), protection_absent, profile, sampling frequency
/// index, channel configuration and the 13-bit frame length including the header. Parsing never allocates.
/// </summary>
internal readonly record struct AdtsHeader(int Profile, int SamplingIndex, int ChannelConfiguration, int FrameLength, bool HasCrc, int RawDataBlocks, int StreamKey)
{
    /// <summary>The header without its CRC.</summary>
    public const int Length = 7;

    /// <summary>The largest frame the 13-bit length can state.</summary>
    public const int MaxFrameLength = 8191;

    /// <summary>Header bytes before the raw data (9 with a CRC).</summary>
    public int HeaderBytes => HasCrc ? Length + 2 : Length;

    /// <summary>The MPEG-4 audio object type: ADTS profile + 1 (0 Main → 1, 1 LC → 2, 2 SSR → 3, 3 → 4 LTP).</summary>
    public int ObjectType => Profile + 1;

    public int SampleRate => AacScalefactorBands.SampleRates[SamplingIndex];

    /// <summary>A header at the start of <paramref name="b"/>: sync, layer 00, a defined rate and a length that holds the header.</summary>
    public static bool TryParse(ReadOnlySpan<byte> b, out AdtsHeader header)
    {
        header = default;
        if (b.Length < Length || b[0] != 0xFF || (b[1] & 0xF6) != 0xF0) return false;
        int profile = b[2] >> 6;
        int sfIndex = (b[2] >> 2) & 15;
        int channels = ((b[2] & 1) << 2) | (b[3] >> 6);
        int length = ((b[3] & 3) << 11) | (b[4] << 3) | (b[5] >> 5);
        bool crc = (b[1] & 1) == 0;
        if (sfIndex >= AacScalefactorBands.SampleRates.Length || length < (crc ? Length + 2 : Length)) return false;
        // What stays the same through a stream: ID, layer, protection, profile, rate and channels (not the private,
        // original/copy or home bits, which some encoders toggle).
        int key = (b[1] & 0x0F) << 16 | (b[2] & 0xFD) << 8 | (b[3] & 0xC0);
        header = new AdtsHeader(profile, sfIndex, channels, length, crc, (b[6] & 3) + 1, key);
        return true;
    }

    /// <summary>The AudioSpecificConfig this header stands for: object type (5 bits), rate index (4), channels (4), a plain GASpecificConfig.</summary>
    public byte[] AudioSpecificConfig() =>
        new[] { (byte)((ObjectType << 3) | (SamplingIndex >> 1)), (byte)(((SamplingIndex & 1) << 7) | (ChannelConfiguration << 3)) };

    /// <summary>
    /// Counts the frames at the start of <paramref name="data"/> whose headers agree with the first and whose lengths
    /// lead each to the next. <paramref name="ranOut"/>: the count stopped because the bytes ended, not at a header
    /// that disagrees (so a longer look might find more).
    /// </summary>
    public static int Chain(ReadOnlySpan<byte> data, int enough, out bool ranOut)
    {
        ranOut = false;
        if (!TryParse(data, out var first)) return 0;
        int at = 0, count = 0;
        while (count < enough)
        {
            if (at + Length > data.Length) { ranOut = true; return count; }
            if (!TryParse(data[at..], out var h) || h.StreamKey != first.StreamKey) return count;
            count++;
            at += h.FrameLength;
        }
        return count;
    }

    /// <summary>
    /// Raw AAC: three consecutive consistent frames (as ffmpeg's probe wants for a confident answer), or fewer when
    /// the bytes end first (a short file, or frames too long for the bytes looked at).
    /// </summary>
    public static bool StartsStream(ReadOnlySpan<byte> data)
    {
        int n = Chain(data, 3, out bool ranOut);
        return n >= 3 || (n >= 1 && ranOut);
    }
}
