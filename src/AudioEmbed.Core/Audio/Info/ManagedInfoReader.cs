using AudioEmbed.Core.Audio.Flac;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Core.Audio.Info;

/// <summary>Header facts from the managed decoders: opening one parses the header and decodes nothing.</summary>
internal static class ManagedInfoReader
{
    public static AudioFileInfo Read(string path, AudioFormat format, long size) => format switch
    {
        AudioFormat.Wav or AudioFormat.Aiff => Wav(path, size),
        AudioFormat.Flac => Flac(path, size),
        _ => Mp3InfoReader.Read(path, size),
    };

    private static AudioFileInfo Wav(string path, long size)
    {
        using var d = WavDecoder.Open(path);
        var f = d.SampleFormat;
        string codec = f.Describe();
        // WavDecoder.Format already names a non-RIFF container ("RF64 PCM 16-bit", "AIFF PCM 16-bit big-endian").
        string container = d.Format == codec ? "WAV" : d.Format[..d.Format.IndexOf(' ')];
        return new AudioFileInfo
        {
            Path = path,
            Format = $"{container} {codec}",
            Container = container,
            Codec = codec,
            SampleRate = d.SampleRate,
            Channels = d.Channels,
            BitsPerSample = f.ValidBits,
            Frames = d.TotalFrames,
            Duration = Seconds(d.TotalFrames, d.SampleRate),
            Bitrate = (long)f.SampleRate * f.Channels * f.ContainerBits,
            FileSize = size,
            Decoder = "Managed",
        };
    }

    private static AudioFileInfo Flac(string path, long size)
    {
        using var d = FlacDecoder.Open(path);
        var duration = Seconds(d.TotalFrames, d.SampleRate);
        return new AudioFileInfo
        {
            Path = path,
            Format = "FLAC",
            Container = "FLAC",
            Codec = "FLAC",
            SampleRate = d.SampleRate,
            Channels = d.Channels,
            BitsPerSample = d.BitsPerSample,
            Frames = d.TotalFrames,
            Duration = duration,
            // Average over the whole file, as players show it; metadata (pictures) counts too.
            Bitrate = duration is { TotalSeconds: > 0 } t ? (long)Math.Round(size * 8 / t.TotalSeconds) : null,
            FileSize = size,
            Decoder = "Managed",
        };
    }

    internal static TimeSpan? Seconds(long? frames, int rate) =>
        frames is long n && rate > 0 ? TimeSpan.FromTicks((long)Math.Round(n * (double)TimeSpan.TicksPerSecond / rate)) : null;
}
