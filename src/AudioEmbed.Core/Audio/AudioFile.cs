using AudioEmbed.Core.Audio.FFmpeg;
using AudioEmbed.Core.Audio.Flac;
using AudioEmbed.Core.Audio.Mp3;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Core.Audio;

/// <summary>Opens an audio file with the decoder its content (never its extension) calls for.</summary>
public static class AudioFile
{
    private const string NotAudio = "not an audio file this module recognises (its content is neither WAV, AIFF, FLAC, MP3, Ogg, MP4/M4A, WMA nor another audio container ffmpeg reads)";

    /// <param name="options">Managed decoders, ffmpeg, or each where it fits (default); where ffmpeg is.</param>
    /// <param name="cancellation">Stops an ffmpeg child at once (managed decoders stop at the caller's next check).</param>
    public static IAudioSource Open(string path, DecoderOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= DecoderOptions.Default;
        var (format, other) = Sniff(path);
        bool managedFormat = format is AudioFormat.Wav or AudioFormat.Aiff or AudioFormat.Flac or AudioFormat.Mp3;
        string name = other ?? Describe(format);

        switch (options.Preference)
        {
            case DecoderPreference.FFmpeg:
                // Unknown content too: the user asked for ffmpeg, which knows more formats than the sniffer.
                return FFmpegDecoder.Open(path, FFmpegLocator.Require(path, options.FFmpegPath, "Decoding with the FFmpeg decoder preference"), cancellation);
            case DecoderPreference.Managed when !managedFormat:
                if (format == AudioFormat.Unknown && other is null) throw new AudioDecodeException(path, NotAudio);
                throw new AudioDecodeException(path, $"{name} audio needs ffmpeg, but managed decoding was asked for (managed decoders read WAV, AIFF, FLAC and MP3): use the Auto or FFmpeg decoder preference, or convert the file to WAV/FLAC");
        }

        if (managedFormat) return OpenManaged(path, format);
        if (format == AudioFormat.Unknown && other is null) throw new AudioDecodeException(path, NotAudio);
        return FFmpegDecoder.Open(path, FFmpegLocator.Require(path, options.FFmpegPath, $"This file is {name} audio, which"), cancellation);
    }

    /// <summary>The sniffed format, and a name for audio containers outside <see cref="AudioFormat"/>.</summary>
    internal static (AudioFormat Format, string? Other) Sniff(string path)
    {
        var head = new byte[AudioFormatSniffer.HeadLength];
        int n;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            n = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AudioDecodeException(path, ex.Message, inner: ex);
        }
        if (n == 0) throw new AudioDecodeException(path, "the file is empty");
        var span = head.AsSpan(0, n);
        var format = AudioFormatSniffer.Detect(span);
        return (format, format == AudioFormat.Unknown ? AudioFormatSniffer.OtherAudioContainer(span) : null);
    }

    internal static string Describe(AudioFormat format) => format switch
    {
        AudioFormat.Ogg => "Ogg",
        AudioFormat.Mp4 => "MP4/M4A",
        AudioFormat.Asf => "WMA/ASF",
        AudioFormat.Wav => "WAV",
        AudioFormat.Aiff => "AIFF",
        AudioFormat.Flac => "FLAC",
        AudioFormat.Mp3 => "MP3",
        _ => "unrecognised",
    };

    private static IAudioSource OpenManaged(string path, AudioFormat format) => format switch
    {
        AudioFormat.Wav or AudioFormat.Aiff => WavDecoder.Open(path),
        AudioFormat.Flac => FlacDecoder.Open(path),
        _ => Mp3Decoder.Open(path),
    };
}
