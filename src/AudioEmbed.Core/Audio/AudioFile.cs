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
    private const string NotAudio = "not an audio file this module recognises (its content is neither WAV, AIFF, FLAC, MP3, Ogg, MP4/M4A, raw AAC (ADTS), WMA nor another audio container ffmpeg reads)";

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
            throw new AudioDecodeException(path, $"{plan.Name} audio needs ffmpeg ({plan.Why}), but managed decoding was asked for (managed decoders read WAV, AIFF, FLAC, MP3, Ogg Vorbis, ALAC{(Mp4Codecs.ManagedAac ? " and AAC-LC in MP4/M4A, and AAC-LC in ADTS (.aac)" : " in MP4/M4A")}): use the Auto or FFmpeg decoder preference, or convert the file to WAV/FLAC");
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
        if (format == AudioFormat.Mp3 && n == head.Length && AfterLongId3Tag(path, span) is { } afterTag && Aac.AdtsHeader.StartsStream(afterTag))
            format = AudioFormat.Adts;
        return (format, format == AudioFormat.Unknown ? AudioFormatSniffer.OtherAudioContainer(span) : null, span.ToArray());
    }

    /// <summary>
    /// The bytes after an ID3v2 tag that ends beyond the head (cover art makes tags hundreds of KB long), so that raw AAC
    /// behind a long tag is still told from MP3; null when there is no such tag.
    /// </summary>
    private static byte[]? AfterLongId3Tag(string path, ReadOnlySpan<byte> head)
    {
        if (head.Length < 10 || head[0] != (byte)'I' || head[1] != (byte)'D' || head[2] != (byte)'3') return null;
        long tagEnd = AudioFormatSniffer.Id3v2Length(head);
        if (tagEnd + Aac.AdtsHeader.Length <= head.Length) return null; // Detect has looked already
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (tagEnd >= probe.Length) return null;
            probe.Position = tagEnd;
            var after = new byte[AudioFormatSniffer.HeadLength];
            int n = probe.ReadAtLeast(after, after.Length, throwOnEndOfStream: false);
            return after.AsSpan(0, n).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AudioDecodeException(path, ex.Message, inner: ex);
        }
    }

    internal static string Describe(AudioFormat format) => format switch
    {
        AudioFormat.Adts => "AAC (ADTS)",
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
        AudioFormat.Adts => Aac.AdtsAudioSource.Open(path),
        _ => Mp3Decoder.Open(path),
    };
}
