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
}
