namespace AudioEmbed.Core.Audio;

/// <summary>Containers/codecs recognised from a file's first bytes.</summary>
public enum AudioFormat
{
    Unknown,
    Wav,
    Flac,
    Mp3,
    Ogg,
    Mp4,
    Aiff,
    Asf,
    /// <summary>Raw AAC in ADTS frames (.aac), optionally after an ID3v2 tag.</summary>
    Adts,
}
