using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Alac;

/// <summary>
/// The ALACSpecificConfig ("magic cookie", 24 bytes big-endian) from Apple's open-sourced ALAC format description:
/// frame length, bit depth, the three adaptive Rice parameters (history multiplier, initial history, limit), channels,
/// maximum run, and informational sizes and rate.
/// </summary>
public sealed record AlacConfig(int FrameLength, int BitDepth, int RiceHistoryMult, int RiceInitialHistory, int RiceLimit,
    int Channels, int MaxRun, uint MaxFrameBytes, uint AverageBitRate, int SampleRate)
{
    public const int Length = 24;

    /// <summary>Longest frame accepted (Apple's encoder writes 4096; AirPlay 352): bounds the decoder's buffers whatever the cookie claims.</summary>
    public const int MaxFrameLength = 65536;

    public const int MaxChannels = 8;

    /// <summary>Parses the cookie; Apple's decoder also accepts it after 'frma' and 'alac' atom headers, so those are skipped.</summary>
    public static AlacConfig Parse(ReadOnlySpan<byte> cookie, string name)
    {
        if (cookie.Length >= 12 && cookie.Slice(4, 4).SequenceEqual("frma"u8)) cookie = cookie[12..];
        if (cookie.Length >= 12 && cookie.Slice(4, 4).SequenceEqual("alac"u8)) cookie = cookie[12..];
        if (cookie.Length < Length) throw new AudioDecodeException(name, $"the ALAC configuration is {cookie.Length} bytes; it needs {Length}");
        var c = new AlacConfig(
            FrameLength: (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(cookie), int.MaxValue),
            BitDepth: cookie[5],
            RiceHistoryMult: cookie[6],
            RiceInitialHistory: cookie[7],
            RiceLimit: cookie[8],
            Channels: cookie[9],
            MaxRun: BinaryPrimitives.ReadUInt16BigEndian(cookie[10..]),
            MaxFrameBytes: BinaryPrimitives.ReadUInt32BigEndian(cookie[12..]),
            AverageBitRate: BinaryPrimitives.ReadUInt32BigEndian(cookie[16..]),
            SampleRate: (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(cookie[20..]), int.MaxValue));
        if (cookie[4] != 0) throw new AudioDecodeException(name, $"ALAC compatible version {cookie[4]} (only version 0 exists)");
        if (c.FrameLength is < 1 or > MaxFrameLength) throw new AudioDecodeException(name, $"ALAC frame length {c.FrameLength} (1 to {MaxFrameLength} accepted)");
        if (c.BitDepth is not (16 or 20 or 24 or 32)) throw new AudioDecodeException(name, $"ALAC bit depth {c.BitDepth} (16, 20, 24 or 32)");
        if (c.Channels is < 1 or > MaxChannels) throw new AudioDecodeException(name, $"ALAC with {c.Channels} channels (1 to {MaxChannels})");
        return c;
    }
}
