using System.Globalization;

namespace AudioEmbed.Core.Store;

/// <summary>
/// A server stopped sending: no response headers, or no body byte, within the stall limit. An <see cref="IOException"/>
/// on purpose, so that every download path treats it exactly as a dropped connection (the bytes received are kept and
/// the next install resumes from them). The message says what was waited for and how much had arrived; it never
/// holds a URL or a header (the callers name the file).
/// </summary>
public sealed class DownloadStalledException : IOException
{
    public DownloadStalledException(string message) : base(message) { }

    public static DownloadStalledException NoHeaders(TimeSpan limit) =>
        new($"the server sent no response within {DownloadTimeouts.Seconds(limit)} (it accepted the connection, then stayed silent; {Hint})");

    public static DownloadStalledException NoData(TimeSpan limit, long received, long? total) =>
        new($"the server sent no data for {DownloadTimeouts.Seconds(limit)} after {Bytes(received)}" + (total is { } t ? $" of {Bytes(t)}" : "") +
            $" (the connection stayed open but the download stopped; {Hint})");

    private const string Hint = $"{DownloadTimeouts.StallVariable} sets how many seconds to wait";

    /// <summary>Decimal units, as download sizes are usually quoted: "12.3 MB", "1.2 GB", "512 bytes".</summary>
    public static string Bytes(long n)
    {
        var c = CultureInfo.InvariantCulture;
        if (n < 1000) return n.ToString(c) + " bytes";
        string[] units = { "kB", "MB", "GB", "TB" };
        double v = n;
        int u = -1;
        do { v /= 1000; u++; } while (v >= 1000 && u < units.Length - 1);
        return v.ToString(v < 10 ? "0.##" : v < 100 ? "0.#" : "0", c) + " " + units[u];
    }
}
