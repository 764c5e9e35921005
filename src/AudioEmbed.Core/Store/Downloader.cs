using System.Security.Cryptography;

namespace AudioEmbed.Core.Store;

/// <summary>
/// Downloads one pinned file to a temporary name, hashing as it goes, and only then renames it into place:
/// a partial or corrupt download is never used. AUDIOEMBED_MODEL_MIRROR redirects downloads to an internal
/// mirror (an http(s) URL or a folder, laid out as &lt;mirror&gt;/&lt;model folder&gt;/&lt;file name&gt;); the pinned
/// SHA-256 still decides. AUDIOEMBED_OFFLINE=1 forbids the public upstream URLs (air-gapped servers):
/// installs then need -SourcePath or a mirror.
/// </summary>
public static class Downloader
{
    public const string OfflineVariable = "AUDIOEMBED_OFFLINE";
    public const string MirrorVariable = "AUDIOEMBED_MODEL_MIRROR";
    private static readonly HttpClient Client = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // large checkpoints; cancellation comes from the caller
    };

    public static bool Offline => Environment.GetEnvironmentVariable(OfflineVariable) is "1" or "true" or "True";

    /// <summary>Where a file comes from: the mirror when one is configured, else the catalog's pinned URL.</summary>
    public static string SourceOf(ModelSourceFile file, string modelFolder)
    {
        var mirror = Environment.GetEnvironmentVariable(MirrorVariable);
        if (string.IsNullOrWhiteSpace(mirror)) return file.Url;
        return mirror.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || mirror.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? $"{mirror.TrimEnd('/')}/{Uri.EscapeDataString(modelFolder)}/{Uri.EscapeDataString(file.Name)}"
            : Path.Combine(mirror, modelFolder, file.Name);
    }

    public static void Download(ModelSourceFile file, string source, string destination, IProgress<InstallProgress>? progress, CancellationToken ct)
    {
        bool upstream = source == file.Url;
        if (Offline && upstream)
            throw new ModelStoreException($"Downloading {file.Name} is not allowed: {OfflineVariable} is set (configure {MirrorVariable} or install with -SourcePath).");
        string partial = destination + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            bool isUrl = Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
            using (var response = isUrl ? Client.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, ct).GetAwaiter().GetResult() : null)
            {
                response?.EnsureSuccessStatusCode();
                long? total = response?.Content.Headers.ContentLength ?? (file.Size > 0 ? file.Size : null);
                using var body = response != null ? response.Content.ReadAsStream(ct) : File.OpenRead(source);
                using var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                long done = 0;
                int n;
                while ((n = body.Read(buffer, 0, buffer.Length)) > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    output.Write(buffer, 0, n);
                    sha.AppendData(buffer, 0, n);
                    done += n;
                    progress?.Report(new InstallProgress($"Downloading {file.Name}", done, total));
                }
                output.Flush(true);
                string actual = Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
                if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new ModelStoreException($"The download of {file.Name} from {source} has SHA-256 {actual}, expected {file.Sha256}: it was discarded and nothing was installed.");
            }
            File.Move(partial, destination, overwrite: true);
        }
        catch (Exception ex) when ((ex is HttpRequestException or IOException or UnauthorizedAccessException or TaskCanceledException) && !ct.IsCancellationRequested)
        {
            throw new ModelStoreException($"Could not download {file.Name} from {source}: {ex.Message}", ex);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }
}
