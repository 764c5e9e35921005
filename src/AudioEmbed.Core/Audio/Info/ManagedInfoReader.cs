using AudioEmbed.Core.Audio.Flac;
using AudioEmbed.Core.Audio.Mp4;
using AudioEmbed.Core.Audio.Ogg;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Core.Audio.Info;

/// <summary>Header facts from the managed decoders: opening one parses the header and decodes nothing.</summary>
internal static class ManagedInfoReader
{
    public static AudioFileInfo Read(string path, AudioFormat format, long size) => format switch
    {
        AudioFormat.Wav or AudioFormat.Aiff => Wav(path, size),
        AudioFormat.Flac => Flac(path, size),
        AudioFormat.Ogg => OggVorbis(path, size),
        AudioFormat.Mp4 => Mp4(path, size),
        AudioFormat.Adts => Aac.AdtsCodecs.Info(path, size),
        _ => Mp3InfoReader.Read(path, size),
    };

    /// <summary>The identification header and the last page's granule position, read without decoding (<see cref="OggVorbisHeader"/>).</summary>
    private static AudioFileInfo OggVorbis(string path, long size)
    {
        var h = OggVorbisHeader.Read(path);
        var duration = Seconds(h.Frames, h.SampleRate);
        return new AudioFileInfo
        {
            Path = path,
            Format = "Ogg Vorbis",
            Container = "Ogg",
            Codec = "Vorbis",
            SampleRate = h.SampleRate,
            Channels = h.Channels,
            Frames = h.Frames,
            Duration = duration,
            Bitrate = duration is { TotalSeconds: > 0 } t ? (long)Math.Round(size * 8 / t.TotalSeconds) : h.NominalBitrate > 0 ? h.NominalBitrate : null,
            FileSize = size,
            Decoder = "Managed",
        };
    }

    /// <summary>The moov box only: sample description, sample table (for the length) and edit list; no media data is read.</summary>
    private static AudioFileInfo Mp4(string path, long size)
    {
        using var d = Mp4Codecs.Open(path);
        // The edit list states the true length (as ffprobe reports it); decoding gives up to a frame more (AAC padding).
        long? frames = d.EditFrames is long edit && edit > 0 && edit <= d.TotalFrames ? edit : d.TotalFrames;
        var duration = Seconds(frames, d.SampleRate);
        string codec = d is M4aAlacSource ? "ALAC" : "AAC (LC)";
        return new AudioFileInfo
        {
            Path = path,
            Format = "MP4 " + codec,
            Container = "MP4",
            Codec = codec,
            SampleRate = d.SampleRate,
            Channels = d.Channels,
            BitsPerSample = d is M4aAlacSource alac ? alac.BitsPerSample : null,
            Frames = frames,
            Duration = duration,
            Bitrate = duration is { TotalSeconds: > 0 } t ? (long)Math.Round(size * 8 / t.TotalSeconds) : null,
            FileSize = size,
            Decoder = "Managed",
        };
    }

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
