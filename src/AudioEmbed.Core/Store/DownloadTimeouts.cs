using System.Globalization;

namespace AudioEmbed.Core.Store;

/// <summary>
/// How long a download may go without receiving a byte before it is given up as stalled. There is deliberately no
/// limit on a download's total time (a slow but moving 1.3 GB checkpoint must finish): only silence counts, while
/// waiting for the response headers and between any two body reads. <see cref="Stall"/> covers downloads (and the
/// plain mirror/URL requests); <see cref="Metadata"/> the hub's metadata HEAD requests. The settings follow the
/// Hugging Face client's, whose timeouts are requests' read timeouts (the same "no byte for N seconds" meaning):
/// AUDIOEMBED_DOWNLOAD_TIMEOUT, else HF_HUB_DOWNLOAD_TIMEOUT, else 60 s for downloads; HF_HUB_ETAG_TIMEOUT, else the
/// download value, for metadata. (The Python client's default of 10 s is short for a slow mirror; ours is 60 s.)
/// </summary>
public sealed record DownloadTimeouts(TimeSpan Stall, TimeSpan Metadata)
{
    public const string StallVariable = "AUDIOEMBED_DOWNLOAD_TIMEOUT";
    public const string HubDownloadVariable = "HF_HUB_DOWNLOAD_TIMEOUT";
    public const string HubEtagVariable = "HF_HUB_ETAG_TIMEOUT";
    public static readonly TimeSpan DefaultStall = TimeSpan.FromSeconds(60);

    /// <summary>Longer than any timer can run; the largest value a variable may hold (about 24 days).</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue);

    public static DownloadTimeouts Default { get; } = new(DefaultStall, DefaultStall);

    /// <summary>One value for both (tests).</summary>
    public static DownloadTimeouts Of(TimeSpan stall) => new(stall, stall);

    /// <summary>The variables above; a value that is not a positive number of seconds is an error naming the variable.</summary>
    public static DownloadTimeouts FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>The same from any lookup of variables (tests give their own rather than change the process's).</summary>
    public static DownloadTimeouts From(Func<string, string?> variables)
    {
        var stall = Read(variables, StallVariable) ?? Read(variables, HubDownloadVariable) ?? DefaultStall;
        var metadata = Read(variables, HubEtagVariable) ?? stall;
        return new DownloadTimeouts(stall, metadata);
    }

    private static TimeSpan? Read(Func<string, string?> variables, string variable)
    {
        var text = variables(variable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > Longest.TotalSeconds)
            throw new ModelStoreException($"{variable} '{text}' is not usable: give the number of seconds a download may receive nothing before it is given up (for example 60). Nothing was installed.");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>"60 s", "1.5 s": how messages state a limit.</summary>
    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
