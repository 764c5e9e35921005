namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// The stream properties every frame is checked against: from the STREAMINFO block, or, for a stream
/// that starts directly at a frame (no fLaC marker), from that first frame's header.
/// </summary>
internal sealed record FlacStreamInfo(
    int MinBlockSize,
    int MaxBlockSize,
    int SampleRate,
    int Channels,
    int BitsPerSample,
    long TotalSamples,
    byte[] Md5)
{
    public const int BlockLength = 34;

    public bool HasMd5 => Md5.Any(b => b != 0);

    /// <summary>Parses the 34-byte STREAMINFO body (RFC 9639 section 8.2), rejecting values no audio stream can have.</summary>
    public static FlacStreamInfo Parse(FlacBitReader r, long blockOffset)
    {
        int minBlock = (int)r.ReadBits(16);
        int maxBlock = (int)r.ReadBits(16);
        r.ReadBits(24); // minimum frame size: informative only
        r.ReadBits(24); // maximum frame size: informative only
        int rate = (int)r.ReadBits(20);
        int channels = (int)r.ReadBits(3) + 1;
        int bits = (int)r.ReadBits(5) + 1;
        long total = (long)r.ReadBits64(36);
        var md5 = new byte[16];
        r.ReadBytes(md5);

        // The sample rate is what the pipeline resamples from, so 0 cannot be decoded meaningfully.
        if (rate == 0) throw r.Fail("STREAMINFO sample rate is 0", blockOffset);
        if (bits < 4) throw r.Fail($"STREAMINFO bits per sample is {bits}; FLAC needs 4 to 32", blockOffset);
        // Min/max block size are only hints; faulty streams get them wrong and libFLAC still decodes them,
        // so only the impossible ordering is refused.
        if (minBlock > maxBlock) throw r.Fail($"STREAMINFO minimum block size {minBlock} exceeds maximum {maxBlock}", blockOffset);
        return new FlacStreamInfo(minBlock, maxBlock, rate, channels, bits, total, md5);
    }
}
