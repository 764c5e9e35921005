using AudioEmbed.Core.Audio.FFmpeg;

namespace AudioEmbed.Core.Audio.Info;

/// <summary>
/// What a file's headers say about its audio, read without decoding it: the managed decoders' header parsing for
/// WAV/AIFF, FLAC, MP3, Ogg Vorbis, MP4 ALAC/AAC-LC and raw AAC (opening one reads only the headers, or for MP3
/// and ADTS the first frames' headers), ffprobe for the rest.
/// </summary>
public sealed record AudioFileInfo
{
    /// <summary>Full path of the file.</summary>
    public required string Path { get; init; }

    /// <summary>Container and codec in words: "WAV PCM 16-bit", "FLAC", "MP3 (MPEG-1 Layer III)", "Ogg Vorbis".</summary>
    public required string Format { get; init; }

    /// <summary>The container alone: "WAV", "RF64", "AIFF", "FLAC", "MP3", "Ogg", "MP4", ...</summary>
    public required string Container { get; init; }

    /// <summary>The codec alone: "PCM 16-bit", "FLAC", "MPEG-1 Layer III", "Vorbis", "AAC (LC)", ...</summary>
    public required string Codec { get; init; }

    public required int SampleRate { get; init; }

    public required int Channels { get; init; }

    /// <summary>Bits per sample of lossless audio (PCM, FLAC, ALAC); null for lossy codecs.</summary>
    public int? BitsPerSample { get; init; }

    /// <summary>Length, when the headers give it or (CBR MP3 without a Xing frame) it can be estimated.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>True when <see cref="Duration"/> is an estimate from bitrate and file size rather than a stated count (CBR MP3 without a Xing frame, long raw AAC files).</summary>
    public bool DurationIsEstimate { get; init; }

    /// <summary>Sample frames per channel when the header states them exactly (WAV data size, FLAC STREAMINFO, MP3 Xing count).</summary>
    public long? Frames { get; init; }

    /// <summary>Bits per second: PCM's exact rate, an MP3's frame bitrate (CBR) or average (VBR), ffprobe's figure otherwise.</summary>
    public long? Bitrate { get; init; }

    public required long FileSize { get; init; }

    /// <summary>"Managed" or "FFmpeg": which decoder <see cref="AudioFile.Open"/> uses for this file with the same options.</summary>
    public required string Decoder { get; init; }

    /// <summary>Reads the facts from the headers; <see cref="AudioDecodeException"/> when the file is not readable audio.</summary>
    public static AudioFileInfo Read(string path, DecoderOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= DecoderOptions.Default;
        string full = System.IO.Path.GetFullPath(path);
        long size;
        try { size = new FileInfo(full).Length; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new AudioDecodeException(path, e.Message, inner: e); }
        if (!File.Exists(full)) throw new AudioDecodeException(path, "the file does not exist");

        var (format, other, head) = AudioFile.SniffHead(full);
        string name = other ?? AudioFile.Describe(format);
        if (options.Preference != DecoderPreference.FFmpeg)
        {
            if (format == AudioFormat.Unknown && other is null)
                throw new AudioDecodeException(path, "not an audio file this module recognises");
            var plan = ManagedCodecs.For(full, format, other, head);
            if (plan.Managed) return ManagedInfoReader.Read(full, format, size);
            name = plan.Name;
            if (options.Preference == DecoderPreference.Managed)
                throw new AudioDecodeException(path, $"{plan.Name} audio needs ffmpeg (ffprobe) ({plan.Why}), but managed decoding was asked for");
        }
        var tools = FFmpegLocator.Require(path, options.FFmpegPath, $"Reading {name} audio information");
        if (tools.FFprobe is null)
            throw new AudioDecodeException(path, $"reading this file's information needs ffprobe, which ships with ffmpeg but was not found beside '{tools.FFmpeg}' nor on PATH");
        return FFprobeInfoReader.Read(full, tools.FFprobe, size, cancellation);
    }
}
