using System.Security.Cryptography;

namespace AudioEmbed.Core.Store;

/// <summary>
/// Downloads one pinned file to a temporary name, hashing as it goes, and only then renames it into place:
/// a partial or corrupt download is never used. Set AUDIOEMBED_OFFLINE=1 to forbid network access
/// (air-gapped servers), in which case installs need -SourcePath.
/// </summary>
public static class Downloader
{
    public const string OfflineVariable = "AUDIOEMBED_OFFLINE";
    private static readonly HttpClient Client = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // large checkpoints; cancellation comes from the caller
    };

    public static bool Offline => Environment.GetEnvironmentVariable(OfflineVariable) is "1" or "true" or "True";

    public static void Download(ModelSourceFile file, string destination, IProgress<InstallProgress>? progress, CancellationToken ct)
    {
        if (Offline) throw new ModelStoreException($"Downloading {file.Name} is not allowed: {OfflineVariable} is set.");
        string partial = destination + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var response = Client.GetAsync(file.Url, HttpCompletionOption.ResponseHeadersRead, ct).GetAwaiter().GetResult())
            {
                response.EnsureSuccessStatusCode();
                long? total = response.Content.Headers.ContentLength ?? (file.Size > 0 ? file.Size : null);
                using var body = response.Content.ReadAsStream(ct);
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
                    throw new ModelStoreException($"The download of {file.Name} from {file.Url} has SHA-256 {actual}, expected {file.Sha256}: it was discarded and nothing was installed.");
            }
            File.Move(partial, destination, overwrite: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ModelStoreException($"Could not download {file.Name} from {file.Url}: {ex.Message}", ex);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }
}
