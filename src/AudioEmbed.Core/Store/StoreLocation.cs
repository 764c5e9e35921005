namespace AudioEmbed.Core.Store;

/// <summary>
/// Where converted models live: $AUDIOEMBED_HOME when set, otherwise a per-user cache
/// (LocalApplicationData\AudioEmbed on Windows, $XDG_CACHE_HOME/audioembed or ~/.cache/audioembed elsewhere).
/// A scheduled task running as SYSTEM has its own profile, so it should set AUDIOEMBED_HOME to a shared folder.
/// </summary>
public static class StoreLocation
{
    public const string HomeVariable = "AUDIOEMBED_HOME";

    public static string DefaultHome()
    {
        var fromEnv = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "AudioEmbed");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cache = !string.IsNullOrWhiteSpace(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "audioembed");
    }
}
