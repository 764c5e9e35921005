using System.Globalization;
using System.Text.Json;
using AudioEmbed.Core.Audio.FFmpeg;

namespace AudioEmbed.Core.Audio.Info;

/// <summary>Header facts for the formats the managed decoders do not read, from ffprobe's JSON (first audio stream).</summary>
internal static class FFprobeInfoReader
{
    /// <summary>The JSON asked for is a few hundred bytes; anything near this is not ffprobe answering our question.</summary>
    private const int MaxOutputBytes = 1 << 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static AudioFileInfo Read(string path, string ffprobe, long size, CancellationToken cancellation)
    {
        string[] args =
        [
            "-v", "error", "-hide_banner", "-select_streams", "a:0",
            "-show_entries", "stream=codec_name,codec_long_name,profile,sample_rate,channels,bits_per_sample,bits_per_raw_sample,bit_rate,duration:format=format_name,duration,bit_rate",
            "-of", "json", "file:" + path,
        ];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(Timeout);
        byte[] json;
        using (var process = FFmpegProcess.Start(ffprobe, args, path, timeout.Token))
        {
            json = ReadBounded(process.Output, path);
            cancellation.ThrowIfCancellationRequested();
            if (timeout.IsCancellationRequested) throw new AudioDecodeException(path, $"ffprobe did not answer within {Timeout.TotalSeconds:0} s");
            process.ThrowIfFailed();
        }
        return Parse(path, json, size);
    }

    internal static AudioFileInfo Parse(string path, ReadOnlySpan<byte> json, long size)
    {
        JsonElement stream, format;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement.Clone();
            if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
                throw new AudioDecodeException(path, "ffprobe found no audio stream in this file");
            stream = streams[0];
            format = root.TryGetProperty("format", out var f) ? f : default;
        }
        catch (JsonException e)
        {
            throw new AudioDecodeException(path, "ffprobe's output is not the JSON expected: " + e.Message, inner: e);
        }

        int rate = (int)(Number(stream, "sample_rate") ?? 0);
        int channels = (int)(Number(stream, "channels") ?? 0);
        if (rate <= 0 || channels <= 0) throw new AudioDecodeException(path, "ffprobe reports no sample rate or channel count for the audio stream");

        string container = ContainerName(Text(format, "format_name"));
        string codec = CodecName(Text(stream, "codec_long_name") ?? Text(stream, "codec_name") ?? "unknown codec", Text(stream, "profile"));
        int bits = (int)(Number(stream, "bits_per_raw_sample") ?? Number(stream, "bits_per_sample") ?? 0);
        double? seconds = Number(stream, "duration") ?? Number(format, "duration");
        return new AudioFileInfo
        {
            Path = path,
            Format = container == codec ? codec : $"{container} {codec}",
            Container = container,
            Codec = codec,
            SampleRate = rate,
            Channels = channels,
            BitsPerSample = bits > 0 ? bits : null,
            Duration = seconds is > 0 and < 1e9 ? TimeSpan.FromSeconds(seconds.Value) : null,
            Bitrate = (long?)(Number(stream, "bit_rate") ?? Number(format, "bit_rate")),
            FileSize = size,
            Decoder = "FFmpeg",
        };
    }

    private static byte[] ReadBounded(Stream output, string path)
    {
        using var collected = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = output.Read(buffer)) > 0)
        {
            if (collected.Length + n > MaxOutputBytes) throw new AudioDecodeException(path, "ffprobe printed far more than expected");
            collected.Write(buffer, 0, n);
        }
        return collected.ToArray();
    }

    /// <summary>ffprobe prints numbers as JSON numbers or strings ("44100", "N/A") depending on the field.</summary>
    private static double? Number(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
        return v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>ffmpeg's demuxer names ("mov,mp4,m4a,3gp,3g2,mj2") to the names people use.</summary>
    private static string ContainerName(string? formatName) => formatName switch
    {
        null => "unknown container",
        "ogg" => "Ogg",
        "mov,mp4,m4a,3gp,3g2,mj2" => "MP4",
        "asf" => "ASF",
        "matroska,webm" => "Matroska/WebM",
        "wav" => "WAV",
        "aiff" => "AIFF",
        "flac" => "FLAC",
        "mp3" => "MP3",
        "aac" => "AAC (ADTS)",
        "caf" => "CAF",
        _ => formatName.Split(',')[0].ToUpperInvariant(),
    };

    /// <summary>"Vorbis", "AAC (LC)", "Opus", "ALAC": the long name up to its explanation, plus the profile when there is one.</summary>
    private static string CodecName(string longName, string? profile)
    {
        int paren = longName.IndexOf(" (", StringComparison.Ordinal);
        var name = paren > 0 ? longName[..paren] : longName;
        return string.IsNullOrEmpty(profile) || profile == "unknown" ? name : $"{name} ({profile})";
    }
}
