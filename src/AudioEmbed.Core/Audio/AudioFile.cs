using AudioEmbed.Core.Audio.FFmpeg;
using AudioEmbed.Core.Audio.Flac;
using AudioEmbed.Core.Audio.Mp3;
using AudioEmbed.Core.Audio.Mp4;
using AudioEmbed.Core.Audio.Ogg;
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
        var (format, other, head) = SniffHead(path);
        if (options.Preference == DecoderPreference.FFmpeg)
        {
            // Unknown content too: the user asked for ffmpeg, which knows more formats than the sniffer.
            return FFmpegDecoder.Open(path, FFmpegLocator.Require(path, options.FFmpegPath, "Decoding with the FFmpeg decoder preference"), cancellation);
        }
        if (format == AudioFormat.Unknown && other is null) throw new AudioDecodeException(path, NotAudio);

        var plan = ManagedCodecs.For(path, format, other, head);
        if (plan.Managed) return OpenManaged(path, format);
        if (options.Preference == DecoderPreference.Managed)
            throw new AudioDecodeException(path, $"{plan.Name} audio needs ffmpeg ({plan.Why}), but managed decoding was asked for (managed decoders read WAV, AIFF, FLAC, MP3, Ogg Vorbis and ALAC{(Mp4Codecs.ManagedAac ? ", AAC-LC" : "")} in MP4/M4A): use the Auto or FFmpeg decoder preference, or convert the file to WAV/FLAC");
        return FFmpegDecoder.Open(path, FFmpegLocator.Require(path, options.FFmpegPath, $"This file is {plan.Name} audio ({plan.Why}), which"), cancellation);
    }

    /// <summary>The sniffed format, and a name for audio containers outside <see cref="AudioFormat"/>.</summary>
    internal static (AudioFormat Format, string? Other) Sniff(string path)
    {
        var (format, other, _) = SniffHead(path);
        return (format, other);
    }

    /// <summary>Also the first bytes, from which the codec inside an Ogg file is named.</summary>
    internal static (AudioFormat Format, string? Other, byte[] Head) SniffHead(string path)
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
        return (format, format == AudioFormat.Unknown ? AudioFormatSniffer.OtherAudioContainer(span) : null, span.ToArray());
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
        AudioFormat.Ogg => OggVorbisDecoder.Open(path),
        AudioFormat.Mp4 => Mp4Codecs.Open(path),
        _ => Mp3Decoder.Open(path),
    };
}
