using System.Security.Cryptography;

namespace AudioEmbed.Core.Store;

/// <summary>
/// Downloads one pinned file to a temporary name, hashing as it goes, and only then renames it into place:
/// a partial or corrupt download is never used, and an interrupted one resumes. AUDIOEMBED_MODEL_MIRROR redirects downloads to an internal
/// mirror (an http(s) URL or a folder, laid out as &lt;mirror&gt;/&lt;model folder&gt;/&lt;file name&gt;); the pinned
/// SHA-256 still decides. AUDIOEMBED_OFFLINE=1 forbids the public upstream URLs (air-gapped servers):
/// installs then need -SourcePath or a mirror. A server that stops sending is given up after the stall limit of
/// <see cref="DownloadTimeouts"/> (no total limit: large checkpoints on slow links still finish).
/// </summary>
public static class Downloader
{
    public const string OfflineVariable = "AUDIOEMBED_OFFLINE";
    public const string MirrorVariable = "AUDIOEMBED_MODEL_MIRROR";
    private static readonly HttpClient Client = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // large checkpoints: no total limit; StallWatch limits silence, the caller cancels
    };

    /// <summary>AUDIOEMBED_OFFLINE=1, or the Hugging Face tools' own HF_HUB_OFFLINE=1 (users of both set one).</summary>
    public static bool Offline => HuggingFace.HubSettings.IsTrue(Environment.GetEnvironmentVariable(OfflineVariable))
        || HuggingFace.HubSettings.IsTrue(Environment.GetEnvironmentVariable(HuggingFace.HubSettings.OfflineVariable));

    /// <summary>Where a file comes from: the mirror when one is configured, else the catalog's pinned URL.</summary>
    public static string SourceOf(ModelSourceFile file, string modelFolder)
    {
        var mirror = Environment.GetEnvironmentVariable(MirrorVariable);
        if (string.IsNullOrWhiteSpace(mirror)) return file.Url;
        return mirror.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || mirror.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? $"{mirror.TrimEnd('/')}/{Uri.EscapeDataString(modelFolder)}/{Uri.EscapeDataString(file.Name)}"
            : Path.Combine(mirror, modelFolder, file.Name);
    }

    /// <summary>
    /// Downloads <paramref name="file"/> to <paramref name="destination"/> through <paramref name="partial"/>, a name
    /// that survives a failed attempt: a dropped connection or Ctrl+C keeps the bytes received, and the next attempt
    /// asks only for the rest (HTTP Range; a mirror folder is read from the same offset). The whole file is hashed
    /// before it is used; a wrong hash discards the partial file so the next attempt starts clean. A server that
    /// sends nothing for <paramref name="timeouts"/>' stall limit (default: from the environment) is treated as a
    /// dropped connection.
    /// </summary>
    public static void Download(ModelSourceFile file, string source, string destination, string partial,
        IProgress<InstallProgress>? progress, CancellationToken ct, DownloadTimeouts? timeouts = null)
    {
        bool upstream = source == file.Url;
        if (Offline && upstream)
            throw new ModelStoreException($"Downloading {file.Name} is not allowed: {OfflineVariable} or {HuggingFace.HubSettings.OfflineVariable} is set (configure {MirrorVariable} or install with -SourcePath).");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        long kept = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (file.Size > 0 && kept > file.Size) { File.Delete(partial); kept = 0; } // not a prefix of this file
        bool keepPartial = true;
        using var watch = new StallWatch((timeouts ?? DownloadTimeouts.FromEnvironment()).Stall, ct);
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            bool isUrl = Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
            using (var response = isUrl ? Request(source, kept, watch) : null)
            {
                if (response is not null && kept > 0 && response.StatusCode != System.Net.HttpStatusCode.PartialContent)
                    kept = 0; // the server sent the whole file: start over
                using var output = new FileStream(partial, kept > 0 ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
                HashPrefix(output, kept, sha, ct);
                output.SetLength(kept);
                output.Position = kept;
                long? total = response?.Content.Headers.ContentLength is { } length ? kept + length : (file.Size > 0 ? file.Size : null);
                using var body = response != null ? response.Content.ReadAsStream(ct) : OpenAt(source, kept);
                var buffer = new byte[1 << 16];
                long done = kept;
                int n;
                while ((n = response != null ? watch.Read(body, buffer, done, total) : body.Read(buffer, 0, buffer.Length)) > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    output.Write(buffer, 0, n);
                    sha.AppendData(buffer, 0, n);
                    done += n;
                    progress?.Report(new InstallProgress(kept > 0 ? $"Downloading {file.Name} (resumed at {kept:N0} bytes)" : $"Downloading {file.Name}", done, total));
                }
                output.Flush(true);
                string actual = Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
                if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    keepPartial = false;
                    throw new ModelStoreException($"The download of {file.Name} from {source} has SHA-256 {actual}, expected {file.Sha256}: it was discarded and nothing was installed.");
                }
            }
            File.Move(partial, destination, overwrite: true);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status && (int)status is >= 400 and < 500 && status != System.Net.HttpStatusCode.RequestedRangeNotSatisfiable && !ct.IsCancellationRequested)
        {
            throw new ModelStoreException($"Could not download {file.Name} from {source}: {ex.Message}", ex);
        }
        catch (Exception ex) when ((ex is HttpRequestException or IOException or UnauthorizedAccessException or TaskCanceledException) && !ct.IsCancellationRequested)
        {
            if (ex is HttpRequestException { StatusCode: System.Net.HttpStatusCode.RequestedRangeNotSatisfiable }) keepPartial = false;
            long have = keepPartial && File.Exists(partial) ? new FileInfo(partial).Length : 0;
            throw new ModelStoreException($"Could not download {file.Name} from {source}: {ex.Message}" +
                (have > 0 ? $" The {have:N0} bytes received are kept: run the install again to resume." : ""), ex);
        }
        finally
        {
            if (!keepPartial && File.Exists(partial)) File.Delete(partial);
        }
    }

    private static HttpResponseMessage Request(string url, long from, StallWatch watch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (from > 0) request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(from, null);
        var response = watch.Send(Client, request);
        try { response.EnsureSuccessStatusCode(); }
        catch { response.Dispose(); throw; }
        return response;
    }

    private static Stream OpenAt(string path, long offset)
    {
        var stream = File.OpenRead(path);
        stream.Position = Math.Min(offset, stream.Length);
        return stream;
    }

    /// <summary>Hashes the bytes already received, so the final hash covers the whole file.</summary>
    private static void HashPrefix(FileStream partial, long length, IncrementalHash sha, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        partial.Position = 0;
        for (long left = length; left > 0;)
        {
            ct.ThrowIfCancellationRequested();
            int n = partial.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n <= 0) throw new IOException("the partial download shrank while it was read");
            sha.AppendData(buffer, 0, n);
            left -= n;
        }
    }
}
