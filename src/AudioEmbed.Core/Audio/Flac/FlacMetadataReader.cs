namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// Reads the start of a FLAC stream: an optional ID3v2 tag, the "fLaC" marker and the metadata blocks,
/// keeping STREAMINFO and skipping the rest. Every block length is checked against the stream length
/// (when known) before it is skipped, so a lying length is reported, never allocated or read past.
/// </summary>
internal static class FlacMetadataReader
{
    private const uint FlacMarker = 0x664C6143; // "fLaC"
    private const int StreamInfoType = 0;
    private const int ForbiddenType = 127;

    /// <summary>Skips an ID3v2 tag if one starts here (some taggers put them before the marker).</summary>
    public static void SkipId3v2(FlacBitReader r)
    {
        if (r.Peek(24) < 24 || (r.PeekCache >> 40) != 0x494433) return; // "ID3"
        long at = r.ByteOffset;
        Span<byte> header = stackalloc byte[10];
        r.ReadBytes(header);
        int size = (header[6] & 0x7F) << 21 | (header[7] & 0x7F) << 14 | (header[8] & 0x7F) << 7 | (header[9] & 0x7F);
        if (((header[6] | header[7] | header[8] | header[9]) & 0x80) != 0) throw r.Fail("ID3v2 tag size is not a syncsafe integer", at);
        bool footer = (header[5] & 0x10) != 0;
        r.SkipBytes(size + (footer ? 10 : 0));
    }

    public static bool AtMarker(FlacBitReader r) => r.Peek(32) == 32 && (r.PeekCache >> 32) == FlacMarker;

    /// <summary>
    /// Consumes the marker and all metadata blocks and returns STREAMINFO. STREAMINFO should come first, but a
    /// stream where other blocks precede it (testbench faulty/07) is still accepted, as libFLAC does.
    /// </summary>
    public static FlacStreamInfo ReadMetadata(FlacBitReader r, long? streamLength)
    {
        r.ReadBits(32); // marker, checked by AtMarker
        FlacStreamInfo? info = null;
        bool last = false;
        while (!last)
        {
            long at = r.ByteOffset;
            last = r.ReadBits(1) == 1;
            int type = (int)r.ReadBits(7);
            long length = r.ReadBits(24);
            long bodyStart = at + 4;
            if (type == ForbiddenType) throw r.Fail("metadata block type 127 is forbidden (not a valid FLAC stream)", at);
            if (streamLength is long total && bodyStart + length > total)
                throw r.Fail($"metadata block of type {type} claims {length} bytes but only {total - bodyStart} remain in the file", at);
            if (type == StreamInfoType)
            {
                if (info != null) throw r.Fail("second STREAMINFO block", at);
                if (length != FlacStreamInfo.BlockLength) throw r.Fail($"STREAMINFO block is {length} bytes, expected {FlacStreamInfo.BlockLength}", at);
                info = FlacStreamInfo.Parse(r, at);
            }
            else
            {
                r.SkipBytes(length);
            }
        }
        return info ?? throw r.Fail("no STREAMINFO metadata block before the audio frames");
    }
}
