using System.Text;

namespace AudioEmbed.Core.Output;

/// <summary>
/// The seed pipeline's output layout: &lt;OutputDirectory&gt;/&lt;model&gt;/&lt;song&gt;.npy, where song is the audio
/// file's base name made safe for every file system we run on (so a library copied between Windows and
/// Linux keeps the same names).
/// </summary>
public static class EmbeddingLayout
{
    private static readonly HashSet<char> Forbidden = new("<>:\"/\\|?*");
    private static readonly HashSet<string> WindowsReserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    public static string PathFor(string outputDirectory, string modelFolder, string songName) =>
        Path.Combine(outputDirectory, modelFolder, SafeFileName(songName) + ".npy");

    /// <summary>Replaces characters Windows or Unix forbid in a file name with '_'; trims trailing dots and spaces; avoids device names.</summary>
    public static string SafeFileName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name) sb.Append(c < 32 || Forbidden.Contains(c) ? '_' : c);
        var safe = sb.ToString().TrimEnd('.', ' ');
        if (safe.Length == 0) safe = "_";
        var stem = safe.Split('.')[0];
        if (WindowsReserved.Contains(stem)) safe = "_" + safe;
        return safe;
    }
}
