namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// Decodes the body of one frame (its subframes, channel decorrelation and CRC-16) into per-channel
/// sample buffers. Buffers grow to the largest block seen, which the format bounds at 65535 samples,
/// so no header can make it allocate more than 65535 x 8 channels.
/// </summary>
internal sealed class FlacFrameDecoder
{
    private readonly FlacSubframe _subframe = new();
    private readonly long[][] _channels;

    public FlacFrameDecoder(int channels)
    {
        _channels = new long[channels][];
        for (int c = 0; c < channels; c++) _channels[c] = new long[4096];
    }

    /// <summary>Samples of channel <paramref name="c"/> of the last decoded frame (valid up to its block size).</summary>
    public long[] Channel(int c) => _channels[c];

    /// <summary>
    /// Decodes the frame whose header has just been read (the CRC-16 was started before the header).
    /// <paramref name="bits"/> is the frame's resolved bit depth.
    /// </summary>
    public void DecodeBody(FlacBitReader r, in FlacFrameHeader header, int bits)
    {
        int n = header.BlockSize;
        if (_channels[0].Length < n)
            for (int c = 0; c < _channels.Length; c++) _channels[c] = new long[n];

        for (int c = 0; c < header.Channels; c++)
        {
            bool side = header.Mode switch
            {
                FlacChannelMode.LeftSide => c == 1,
                FlacChannelMode.SideRight => c == 0,
                FlacChannelMode.MidSide => c == 1,
                _ => false,
            };
            _subframe.Decode(r, _channels[c].AsSpan(0, n), side ? bits + 1 : bits);
        }

        r.AlignToByte();
        ushort computed = r.EndFrameCrc();
        ushort stored = (ushort)r.ReadBits(16);
        if (computed != stored)
            throw r.Fail($"frame CRC-16 mismatch (stored 0x{stored:X4}, computed 0x{computed:X4}) in the frame starting here", header.Offset);

        Decorrelate(header.Mode, n);
    }

    /// <summary>Turns left/side, side/right and mid/side pairs back into left and right (RFC 9639 section 4.2).</summary>
    private void Decorrelate(FlacChannelMode mode, int n)
    {
        if (mode == FlacChannelMode.Independent) return;
        var a = _channels[0].AsSpan(0, n);
        var b = _channels[1].AsSpan(0, n);
        switch (mode)
        {
            case FlacChannelMode.LeftSide:
                for (int i = 0; i < n; i++) b[i] = a[i] - b[i];
                break;
            case FlacChannelMode.SideRight:
                for (int i = 0; i < n; i++) a[i] += b[i];
                break;
            case FlacChannelMode.MidSide:
                for (int i = 0; i < n; i++)
                {
                    long side = b[i];
                    long mid = (a[i] << 1) | (side & 1);
                    a[i] = (mid + side) >> 1;
                    b[i] = (mid - side) >> 1;
                }
                break;
        }
    }
}
