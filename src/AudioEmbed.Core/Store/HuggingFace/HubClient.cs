using System.Net;
using System.Net.Http.Headers;

namespace AudioEmbed.Core.Store.HuggingFace;

/// <summary>
/// Talks to the Hugging Face hub (or the mirror in HF_ENDPOINT) as its own client does: a HEAD on
/// /&lt;repo&gt;/resolve/&lt;revision&gt;/&lt;file&gt; without following the redirect to the CDN reads the metadata
/// (commit, advertised hash and size, location), then a GET of that location fetches the bytes. Redirects are
/// followed by hand: only to https (plain http only to loopback), at most five, and the token goes only to the
/// hub's own host — never to the CDN or anywhere a redirect points. No request waits on a silent server for longer
/// than <see cref="DownloadTimeouts"/> allows (metadata and download limits, as the hub's client has).
/// </summary>
public sealed class HubClient
{
    private const int MaxRedirects = 5;
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false, // every hop is checked here
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = DecompressionMethods.None,
    })
    { Timeout = Timeout.InfiniteTimeSpan }; // no total limit (large checkpoints): StallWatch limits silence instead

    private readonly HubSettings _settings;
    private readonly DownloadTimeouts _timeouts;

    /// <param name="timeouts">The stall limits; by default from the environment (AUDIOEMBED_DOWNLOAD_TIMEOUT, HF_HUB_DOWNLOAD_TIMEOUT, HF_HUB_ETAG_TIMEOUT).</param>
    public HubClient(HubSettings settings, DownloadTimeouts? timeouts = null)
    {
        _settings = settings;
        _timeouts = timeouts ?? DownloadTimeouts.FromEnvironment();
    }

    /// <summary>https anywhere; plain http only to this machine (a test hub or a local mirror).</summary>
    public static bool IsAllowedTarget(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    private bool IsHubHost(Uri uri) =>
        string.Equals(uri.Scheme, _settings.Endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, _settings.Endpoint.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == _settings.Endpoint.Port;

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity")); // sizes and hashes are of the raw bytes
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("AudioEmbed", typeof(HubClient).Assembly.GetName().Version?.ToString() ?? "0"));
        if (_settings.Token is { } token && IsHubHost(uri))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>Reads a file's metadata at a revision. Same-host (relative) redirects are followed, as for a renamed repository.</summary>
    public HubFileMetadata GetMetadata(string repository, string revision, string file, CancellationToken ct)
    {
        HubNames.ValidateRepository(repository);
        HubNames.ValidateFile(file);
        if (_settings.Offline)
            throw new ModelStoreException($"{file} of {repository} at revision {revision} is not in the Hugging Face cache and downloads are off ({HubSettings.OfflineVariable} or {Downloader.OfflineVariable} is set). Nothing was installed.");
        var uri = new Uri(_settings.ResolveUrl(repository, revision, file));
        for (int hop = 0; ; hop++)
        {
            using var request = NewRequest(HttpMethod.Head, uri);
            using var watch = new StallWatch(_timeouts.Metadata, ct);
            using var response = Send(request, watch, $"{file} of {repository} at revision {revision}");
            int status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                bool relative = !location.IsAbsoluteUri || location.OriginalString.StartsWith('/'); // "/x" can parse as file:///x on Unix
                var target = relative ? new Uri(uri, location.OriginalString) : location;
                // As the hub's own client: a relative redirect stays on the hub (a renamed repository, a resolve cache)
                // and is followed; an absolute one goes to the CDN and is not - its headers are the metadata.
                if (relative)
                {
                    if (hop >= MaxRedirects) throw new ModelStoreException($"The hub redirected {file} of {repository} at revision {revision} more than {MaxRedirects} times: refused. Nothing was installed.");
                    uri = target;
                    continue;
                }
                return Metadata(repository, revision, file, response, target);
            }
            if (status is >= 200 and < 300) return Metadata(repository, revision, file, response, uri);
            throw RefusedBy(response, repository, revision, file);
        }
    }

    private static HubFileMetadata Metadata(string repository, string revision, string file, HttpResponseMessage response, Uri location)
    {
        string? Header(string name) => response.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;
        var commit = Header("X-Repo-Commit");
        var hash = ContentHash.FromEtag(Header("X-Linked-Etag") ?? (response.Headers.ETag?.ToString() ?? Header("ETag")));
        long? size = long.TryParse(Header("X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength;
        if (!IsAllowedTarget(location))
            throw new ModelStoreException($"The hub sends {file} of {repository} at revision {revision} to '{location.Scheme}://{location.Host}', which is neither https nor this machine: refused. Nothing was installed.");
        return new HubFileMetadata(repository, revision, file, commit, hash, size, location);
    }

    private static ModelStoreException RefusedBy(HttpResponseMessage response, string repository, string revision, string file)
    {
        string? code = response.Headers.TryGetValues("X-Error-Code", out var v) ? v.FirstOrDefault() : null;
        string what = $"{file} of {repository} at revision {revision}";
        string why = (int)response.StatusCode switch
        {
            401 or 403 => $"the hub refused access ({(int)response.StatusCode}): the repository is gated or private. Accept its terms on the hub and set {HubSettings.TokenVariable} to a token that can read it",
            404 when code == "RevisionNotFound" => $"the revision {revision} no longer resolves in {repository} (404 RevisionNotFound)",
            404 when code == "EntryNotFound" => $"{repository} has no file {file} at revision {revision} (404 EntryNotFound)",
            404 when code == "RepoNotFound" => $"there is no repository {repository} on the hub, or it is private (404 RepoNotFound; set {HubSettings.TokenVariable} if you may read it)",
            404 => $"the hub answered 404 Not Found (the repository, the revision {revision} or the file does not exist there)",
            _ => $"the hub answered {(int)response.StatusCode} {response.ReasonPhrase}",
        };
        return new ModelStoreException($"Could not get {what}: {why}. Nothing was installed.");
    }

    /// <summary>Sends and waits for the headers; a silent server is a stall (an IOException, so a download keeps its bytes).</summary>
    private static HttpResponseMessage Send(HttpRequestMessage request, StallWatch watch, string what)
    {
        try { return watch.Send(Client, request); }
        catch (HttpRequestException ex)
        {
            throw new ModelStoreException($"Could not reach the hub for {what} at {request.RequestUri!.Scheme}://{request.RequestUri.Authority}: {ex.Message}. Nothing was installed.", ex);
        }
        catch (DownloadStalledException ex) when (request.Method == HttpMethod.Head)
        {
            string variable = Environment.GetEnvironmentVariable(DownloadTimeouts.HubEtagVariable) is { Length: > 0 } ? DownloadTimeouts.HubEtagVariable : DownloadTimeouts.StallVariable;
            throw new ModelStoreException($"Could not get {what} from the hub at {request.RequestUri!.Scheme}://{request.RequestUri.Authority}: it sent no answer to the metadata request within {DownloadTimeouts.Seconds(watch.Limit)} ({variable} sets how many seconds to wait). Nothing was installed.", ex);
        }
    }

    /// <summary>
    /// Fetches the bytes at <paramref name="meta"/>'s location into <paramref name="partial"/> (resuming what an earlier
    /// attempt left there), never writing past the advertised size, and moves it to <paramref name="destination"/> only
    /// when the whole content matches <paramref name="expected"/>. Returns the content's SHA-256 and git blob SHA-1.
    /// </summary>
    public (string Sha256, string GitBlobSha1) Download(HubFileMetadata meta, ContentHash expected, long size, string partial, string destination,
        IProgress<InstallProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        long kept = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (kept > size) { File.Delete(partial); kept = 0; }
        bool keepPartial = true;
        using var watch = new StallWatch(_timeouts.Stall, ct);
        try
        {
            using var response = Get(meta, kept, watch);
            if (kept > 0 && response.StatusCode != HttpStatusCode.PartialContent) kept = 0; // the server sent the whole file
            using var hasher = new ContentHasher(size, gitBlobSha1: expected.Kind == ContentHashKind.GitBlobSha1);
            using (var output = new FileStream(partial, kept > 0 ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                HashPrefix(output, kept, hasher, ct);
                output.SetLength(kept);
                output.Position = kept;
                using var body = response.Content.ReadAsStream(ct);
                var buffer = new byte[1 << 16];
                long done = kept;
                int n;
                while ((n = watch.Read(body, buffer, done, size)) > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    if (done + n > size)
                    {
                        keepPartial = false;
                        throw new ModelStoreException($"{meta.Describe()} is longer than the {size:N0} bytes the hub advertised: the download was discarded and nothing was installed.");
                    }
                    output.Write(buffer, 0, n);
                    hasher.Append(buffer.AsSpan(0, n));
                    done += n;
                    progress?.Report(new InstallProgress(kept > 0 ? $"Downloading {meta.File} from {meta.Repository} (resumed at {kept:N0} bytes)" : $"Downloading {meta.File} from {meta.Repository}", done, size));
                }
                output.Flush(true);
                if (done < size)
                    throw new IOException($"the connection ended after {done:N0} of the {size:N0} bytes advertised");
            }
            var actual = hasher.Finish();
            if (!ContentHasher.Matches(expected, actual))
            {
                keepPartial = false;
                throw new ModelStoreException($"{meta.Describe()} as downloaded has {(expected.Kind == ContentHashKind.Sha256 ? "SHA-256 " + actual.Sha256 : "git blob SHA-1 " + actual.GitBlobSha1)}, but {expected.Hex} was expected: the download was discarded and nothing was installed.");
            }
            File.Move(partial, destination, overwrite: true);
            return actual;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            long have = keepPartial && File.Exists(partial) ? new FileInfo(partial).Length : 0;
            throw new ModelStoreException($"Could not download {meta.Describe()}: {ex.Message}." +
                (have > 0 ? $" The {have:N0} bytes received are kept (not used until the whole file matches its hash): run the install again to resume." : " Nothing was installed."), ex);
        }
        finally
        {
            if (!keepPartial && File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>GET with redirects followed by hand: each hop must be an allowed target, and only the hub's host sees the token.</summary>
    private HttpResponseMessage Get(HubFileMetadata meta, long from, StallWatch watch)
    {
        var uri = meta.Location;
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            if (!IsAllowedTarget(uri))
                throw new ModelStoreException($"The download of {meta.Describe()} was redirected to '{uri.Scheme}://{uri.Host}', which is neither https nor this machine: refused. Nothing was installed.");
            using var request = NewRequest(HttpMethod.Get, uri);
            if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
            var response = Send(request, watch, meta.Describe());
            int status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                response.Dispose();
                uri = !location.IsAbsoluteUri || location.OriginalString.StartsWith('/') ? new Uri(uri, location.OriginalString) : location;
                continue;
            }
            if (status == 416) { response.Dispose(); throw new IOException("the server refused to resume (416)"); }
            if (status is >= 200 and < 300) return response;
            var error = RefusedBy(response, meta.Repository, meta.Revision, meta.File);
            response.Dispose();
            throw error;
        }
        throw new ModelStoreException($"The download of {meta.Describe()} was redirected more than {MaxRedirects} times: refused. Nothing was installed.");
    }

    private static void HashPrefix(FileStream partial, long length, ContentHasher hasher, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        partial.Position = 0;
        for (long left = length; left > 0;)
        {
            ct.ThrowIfCancellationRequested();
            int n = partial.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n <= 0) throw new IOException("the partial download shrank while it was read");
            hasher.Append(buffer.AsSpan(0, n));
            left -= n;
        }
    }
}
