namespace AudioEmbed.Core.Audio.FFmpeg;

/// <summary>A located ffmpeg, the ffprobe beside it (or on PATH) when there is one, and where ffmpeg was found.</summary>
public sealed record FFmpegTools(string FFmpeg, string? FFprobe, string FoundVia);
