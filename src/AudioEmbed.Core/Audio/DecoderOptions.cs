namespace AudioEmbed.Core.Audio;

/// <summary>Which decoders <see cref="AudioFile.Open"/> may use.</summary>
public enum DecoderPreference
{
    /// <summary>Managed decoders for WAV, AIFF, FLAC, MP3, Ogg Vorbis, MP4/M4A ALAC and AAC-LC, and raw AAC-LC (ADTS); ffmpeg for the rest (Ogg Opus, HE-AAC, WMA...).</summary>
    Auto,
    /// <summary>Managed decoders only: formats that need ffmpeg fail with a clear error.</summary>
    Managed,
    /// <summary>Every file through ffmpeg, including WAV/FLAC/MP3 and content the sniffer does not recognise.</summary>
    FFmpeg,
}

/// <param name="Preference">Managed decoders, ffmpeg, or each where it fits (the default).</param>
/// <param name="FFmpegPath">ffmpeg's executable or folder; null looks at $AUDIOEMBED_FFMPEG, then PATH.</param>
public sealed record DecoderOptions(DecoderPreference Preference = DecoderPreference.Auto, string? FFmpegPath = null)
{
    public static DecoderOptions Default { get; } = new();
}
