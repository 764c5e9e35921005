using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// The Xing/Info (and Fraunhofer VBRI) header that encoders put in the first frame in place of audio, with
/// the LAME extension's encoder delay and padding used for gapless trimming.
/// </summary>
internal sealed class Mp3XingHeader
{
    /// <summary>Number of audio frames after this one, when stated (and non-zero).</summary>
    public long? Frames { get; private init; }

    /// <summary>LAME encoder delay and padding in samples, when a LAME tag is present.</summary>
    public int? EncoderDelay { get; private init; }
    public int? EncoderPadding { get; private init; }

    /// <summary>Recognises the header inside a complete frame (starting at its 4-byte header); null when this is an audio frame.</summary>
    public static Mp3XingHeader? TryParse(ReadOnlySpan<byte> frame, in Mp3FrameHeader h)
    {
        int off = 4 + (h.HasCrc ? 2 : 0) + h.SideInfoBytes;
        if (frame.Length >= off + 8 && (frame.Slice(off, 4).SequenceEqual("Xing"u8) || frame.Slice(off, 4).SequenceEqual("Info"u8)))
        {
            uint flags = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(off + 4));
            int p = off + 8;
            long? frames = null;
            if ((flags & 1) != 0)
            {
                if (frame.Length < p + 4) return new Mp3XingHeader();
                uint f = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(p));
                if (f > 0) frames = f;
                p += 4;
            }
            if ((flags & 2) != 0) p += 4;
            if ((flags & 4) != 0) p += 100;
            if ((flags & 8) != 0) p += 4;
            int? delay = null, padding = null;
            if (frame.Length >= p + 24)
            {
                var tag = frame.Slice(p, 4);
                if (tag.SequenceEqual("LAME"u8) || tag.SequenceEqual("Lavf"u8) || tag.SequenceEqual("Lavc"u8))
                {
                    int v = frame[p + 21] << 16 | frame[p + 22] << 8 | frame[p + 23];
                    delay = v >> 12;
                    padding = v & 0xFFF;
                }
            }
            return new Mp3XingHeader { Frames = frames, EncoderDelay = delay, EncoderPadding = padding };
        }

        // Fraunhofer VBRI: fixed position 32 bytes after the header.
        const int vbri = 4 + 32;
        if (frame.Length >= vbri + 18 && frame.Slice(vbri, 4).SequenceEqual("VBRI"u8))
        {
            uint f = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(vbri + 14));
            return new Mp3XingHeader { Frames = f > 0 ? f : null };
        }
        return null;
    }
}
