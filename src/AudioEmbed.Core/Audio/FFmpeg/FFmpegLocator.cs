namespace AudioEmbed.Core.Audio.FFmpeg;

/// <summary>
/// Finds ffmpeg: an explicit path first, then $AUDIOEMBED_FFMPEG, then PATH. An explicit path or the variable,
/// when given, is authoritative: pointing it at nothing is reported, not silently replaced by another ffmpeg.
/// Either may name the executable or the folder holding it.
/// </summary>
public static class FFmpegLocator
{
    public const string EnvironmentVariable = "AUDIOEMBED_FFMPEG";

    /// <summary>The tools, or null when ffmpeg is not found; <paramref name="searched"/> says where it looked.</summary>
    public static FFmpegTools? Find(string? explicitPath, out string searched) =>
        Find(explicitPath, Environment.GetEnvironmentVariable, out searched);

    public static FFmpegTools? Find(string? explicitPath = null) => Find(explicitPath, out _);

    /// <summary>The tools, or an <see cref="AudioDecodeException"/> for <paramref name="file"/> saying how to install ffmpeg.</summary>
    public static FFmpegTools Require(string file, string? explicitPath, string why) =>
        Require(file, explicitPath, why, Environment.GetEnvironmentVariable);

    /// <summary>Same, reading the environment through <paramref name="environment"/> (tests give it a PATH of their own).</summary>
    internal static FFmpegTools Require(string file, string? explicitPath, string why, Func<string, string?> environment) =>
        Find(explicitPath, environment, out var searched)
        ?? throw new AudioDecodeException(file, FFmpegInstallHint.Message(why, searched));

    internal static FFmpegTools? Find(string? explicitPath, Func<string, string?> environment, out string searched)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            searched = $"the given ffmpeg path '{explicitPath}' does not exist";
            return FromUserPath(explicitPath, "the given path");
        }
        var variable = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(variable))
        {
            searched = $"${EnvironmentVariable} is set to '{variable}', where there is no ffmpeg";
            return FromUserPath(variable, "$" + EnvironmentVariable);
        }
        searched = "ffmpeg is not on PATH and $" + EnvironmentVariable + " is not set";
        var ffmpeg = OnPath(ExecutableName("ffmpeg"), environment);
        return ffmpeg is null ? null : new FFmpegTools(ffmpeg, ProbeFor(ffmpeg, environment), "PATH");
    }

    private static FFmpegTools? FromUserPath(string path, string via)
    {
        path = Environment.ExpandEnvironmentVariables(path.Trim().Trim('"'));
        string? ffmpeg = File.Exists(path) ? Path.GetFullPath(path)
            : Directory.Exists(path) && File.Exists(Path.Combine(path, ExecutableName("ffmpeg"))) ? Path.GetFullPath(Path.Combine(path, ExecutableName("ffmpeg")))
            : null;
        return ffmpeg is null ? null : new FFmpegTools(ffmpeg, ProbeFor(ffmpeg, Environment.GetEnvironmentVariable), via);
    }

    /// <summary>The ffprobe of the same build (beside ffmpeg) is preferred; otherwise one on PATH.</summary>
    private static string? ProbeFor(string ffmpeg, Func<string, string?> environment)
    {
        var sibling = Path.Combine(Path.GetDirectoryName(ffmpeg) ?? ".", ExecutableName("ffprobe"));
        return File.Exists(sibling) ? sibling : OnPath(ExecutableName("ffprobe"), environment);
    }

    private static string? OnPath(string name, Func<string, string?> environment)
    {
        var path = environment("PATH");
        if (string.IsNullOrEmpty(path)) return null;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                var candidate = Path.Combine(dir.Trim('"'), name);
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            }
            catch (ArgumentException)
            {
                // A malformed PATH entry is skipped, as shells do.
            }
        }
        return null;
    }

    private static string ExecutableName(string tool) => OperatingSystem.IsWindows() ? tool + ".exe" : tool;
}
