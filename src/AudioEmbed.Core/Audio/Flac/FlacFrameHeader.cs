namespace AudioEmbed.Core.Audio.Flac;

/// <summary>How the channels of a frame are coded (RFC 9639 section 9.1.3).</summary>
internal enum FlacChannelMode
{
    Independent,
    LeftSide,
    SideRight,
    MidSide,
}

/// <summary>
/// One frame header (RFC 9639 section 9.1). Sample rate and bit depth are 0 when the header says
/// "take it from STREAMINFO"; the decoder resolves them.
/// </summary>
internal readonly record struct FlacFrameHeader(
    long Offset,
    bool VariableBlockSize,
    ulong Number,
    int BlockSize,
    int SampleRate,
    int Channels,
    FlacChannelMode Mode,
    int BitsPerSample)
{
    /// <summary>The format's largest block: STREAMINFO stores block sizes in 16 bits.</summary>
    public const int MaxBlockSize = 65535;

    /// <summary>True when the next 16 bits the reader would read are a frame sync code (0xFFF8 or 0xFFF9).</summary>
    public static bool AtSync(FlacBitReader r) => r.Peek(16) == 16 && (r.PeekCache >> 49) == 0x7FFC;

    /// <summary>
    /// Reads and checks a frame header. The raw bytes are kept aside (at most 16) so the CRC-8 is computed
    /// over exactly what was read, independent of the reader's window.
    /// </summary>
    public static FlacFrameHeader Read(FlacBitReader r)
    {
        long at = r.ByteOffset;
        var h = new HeaderBytes(r, stackalloc byte[16]);

        int b0 = h.Next(), b1 = h.Next();
        if (b0 != 0xFF || (b1 & 0xFE) != 0xF8) throw r.Fail("lost frame sync: expected 0xFFF8 or 0xFFF9", at);
        bool variable = (b1 & 1) == 1;
        int b2 = h.Next(), b3 = h.Next();
        int blockCode = b2 >> 4, rateCode = b2 & 15, channelCode = b3 >> 4, depthCode = (b3 >> 1) & 7;
        bool reservedBit = (b3 & 1) != 0;

        // Frame or sample number, coded like UTF-8 extended to 7 bytes (36 bits).
        int first = h.Next();
        int extra;
        ulong number;
        if (first < 0x80) { extra = 0; number = (ulong)first; }
        else if ((first & 0xE0) == 0xC0) { extra = 1; number = (ulong)(first & 0x1F); }
        else if ((first & 0xF0) == 0xE0) { extra = 2; number = (ulong)(first & 0x0F); }
        else if ((first & 0xF8) == 0xF0) { extra = 3; number = (ulong)(first & 0x07); }
        else if ((first & 0xFC) == 0xF8) { extra = 4; number = (ulong)(first & 0x03); }
        else if ((first & 0xFE) == 0xFC) { extra = 5; number = (ulong)(first & 0x01); }
        else if (first == 0xFE) { extra = 6; number = 0; }
        else throw r.Fail($"invalid coded frame number lead byte 0x{first:X2}", at);
        for (int i = 0; i < extra; i++)
        {
            int c = h.Next();
            if ((c & 0xC0) != 0x80) throw r.Fail("invalid coded frame number continuation byte", at);
            number = (number << 6) | (uint)(c & 0x3F);
        }

        int blockSize = blockCode switch
        {
            0 => 0, // reserved, reported after the CRC check
            1 => 192,
            >= 2 and <= 5 => 144 << blockCode,
            6 => h.Next() + 1,
            7 => ((h.Next() << 8) | h.Next()) + 1,
            _ => 1 << blockCode,
        };
        int sampleRate = rateCode switch
        {
            0 => 0,
            1 => 88200, 2 => 176400, 3 => 192000, 4 => 8000, 5 => 16000, 6 => 22050,
            7 => 24000, 8 => 32000, 9 => 44100, 10 => 48000, 11 => 96000,
            12 => h.Next() * 1000,
            13 => (h.Next() << 8) | h.Next(),
            14 => ((h.Next() << 8) | h.Next()) * 10,
            _ => -1,
        };

        int crc = (int)r.ReadBits(8);
        if (FlacCrc.Crc8(h.Read) != crc) throw r.Fail("frame header CRC-8 mismatch", at);

        if (reservedBit) throw r.Fail("frame header reserved bit is set", at);
        if (blockSize == 0) throw r.Fail("reserved block size code 0", at);
        if (blockSize > MaxBlockSize) throw r.Fail($"block size {blockSize} exceeds the format's maximum of {MaxBlockSize}", at);
        if (sampleRate < 0) throw r.Fail("invalid sample rate code 15", at);
        if (sampleRate == 0 && rateCode >= 12) throw r.Fail("frame header sample rate is 0", at);

        int channels;
        FlacChannelMode mode;
        switch (channelCode)
        {
            case < 8: channels = channelCode + 1; mode = FlacChannelMode.Independent; break;
            case 8: channels = 2; mode = FlacChannelMode.LeftSide; break;
            case 9: channels = 2; mode = FlacChannelMode.SideRight; break;
            case 10: channels = 2; mode = FlacChannelMode.MidSide; break;
            default: throw r.Fail($"reserved channel assignment {channelCode}", at);
        }
        int bits = depthCode switch
        {
            0 => 0,
            1 => 8, 2 => 12, 4 => 16, 5 => 20, 6 => 24, 7 => 32,
            _ => throw r.Fail("reserved sample size code 3", at),
        };
        return new FlacFrameHeader(at, variable, number, blockSize, sampleRate, channels, mode, bits);
    }

    /// <summary>Reads header bytes while keeping a copy for the CRC-8.</summary>
    private ref struct HeaderBytes
    {
        private readonly FlacBitReader _r;
        private readonly Span<byte> _raw;
        private int _n;

        public HeaderBytes(FlacBitReader r, Span<byte> raw)
        {
            _r = r;
            _raw = raw;
            _n = 0;
        }

        public readonly ReadOnlySpan<byte> Read => _raw[.._n];

        public int Next()
        {
            int b = (int)_r.ReadBits(8);
            _raw[_n++] = (byte)b;
            return b;
        }
    }
}
