using AudioEmbed.Core.Audio.Flac;
using AudioEmbed.Core.Audio.Mp3;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Core.Audio;

/// <summary>Opens an audio file with the decoder its content calls for.</summary>
public static class AudioFile
{
    public static IAudioSource Open(string path)
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

        var format = AudioFormatSniffer.Detect(head.AsSpan(0, n));
        return format switch
        {
            AudioFormat.Wav or AudioFormat.Aiff => WavDecoder.Open(path),
            AudioFormat.Flac => FlacDecoder.Open(path),
            AudioFormat.Mp3 => Mp3Decoder.Open(path),
            AudioFormat.Unknown => throw new AudioDecodeException(path, "not an audio file this module recognises (its content is neither WAV, AIFF, FLAC, MP3, Ogg, MP4/M4A nor WMA)"),
            _ => throw new AudioDecodeException(path, $"{format} audio has no decoder in this version yet: convert it to WAV first (e.g. ffmpeg -i in -c:a pcm_s16le out.wav). ffmpeg support for these formats arrives with issue #3."),
        };
    }
}
