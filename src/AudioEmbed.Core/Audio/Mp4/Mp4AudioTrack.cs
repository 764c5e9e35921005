namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>The sound track the demuxer chose, as its boxes describe it.</summary>
internal sealed class Mp4AudioTrack
{
    public required int TrackId { get; init; }

    /// <summary>The sample entry's four-character code: "mp4a", "alac", "Opus", "ac-3" ...</summary>
    public required string SampleEntry { get; init; }

    public required int Channels { get; init; }

    /// <summary>Rate from the sample entry (or the codec configuration, which wins when present).</summary>
    public required int SampleRate { get; init; }

    public required uint MediaTimescale { get; init; }

    public required uint MovieTimescale { get; init; }

    /// <summary>esds objectTypeIndication (0x40 = MPEG-4 audio, 0x66-0x68 MPEG-2 AAC, 0x69/0x6B MP3); 0 when there is no esds.</summary>
    public byte ObjectType { get; init; }

    /// <summary>The MPEG-4 AudioSpecificConfig (esds DecoderSpecificInfo), for AAC.</summary>
    public byte[]? AudioSpecificConfig { get; init; }

    /// <summary>The 24-byte ALACSpecificConfig ("magic cookie"), without the box header.</summary>
    public byte[]? AlacCookie { get; init; }

    /// <summary>First non-empty edit: media time where playback starts, and its length in movie-timescale units (0: to the end).</summary>
    public (long MediaTime, long Duration)? Edit { get; init; }

    public required Mp4SampleTable Samples { get; init; }
}
