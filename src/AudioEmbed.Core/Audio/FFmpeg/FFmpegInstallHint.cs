namespace AudioEmbed.Core.Audio.FFmpeg;

/// <summary>The words shown when a file needs ffmpeg and there is none: which formats need it and how to get it per OS.</summary>
public static class FFmpegInstallHint
{
    public const string FormatsNeedingFFmpeg = "Ogg Opus, MP4/M4A AAC, WMA and other containers";

    public static string Message(string why, string searched) =>
        $"{why} needs ffmpeg, but ffmpeg was not found ({searched}). " +
        $"{FormatsNeedingFFmpeg} are decoded through ffmpeg; WAV, AIFF, FLAC, MP3, Ogg Vorbis and MP4/M4A ALAC are decoded without it. " +
        "Install ffmpeg - Windows: winget install Gyan.FFmpeg (or set $env:AUDIOEMBED_FFMPEG to the path of ffmpeg.exe, or pass -FFmpegPath); " +
        "Linux: sudo apt-get install ffmpeg (Debian/Ubuntu) or sudo dnf install ffmpeg (Fedora, RPM Fusion); " +
        "macOS: brew install ffmpeg. Then open a new PowerShell session so PATH is refreshed.";
}
