using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>
/// A Hugging Face hub on 127.0.0.1 that answers like the real one: /&lt;owner&gt;/&lt;name&gt;/resolve/&lt;revision&gt;/&lt;file&gt;
/// gives, for an LFS file, 302 to a separate CDN path (/cdn/&lt;sha256&gt;) with X-Repo-Commit, X-Linked-Etag (the SHA-256,
/// quoted) and X-Linked-Size; for a small file, 200 with ETag = the git blob SHA-1 (quoted) and X-Repo-Commit. Branches
/// resolve to commits; unknown ones answer 404 with X-Error-Code as the hub does; a gated repository answers 401 without
/// the right bearer token. Both paths honour "Range: bytes=N-". Per-file misbehaviours simulate a lying or failing server.
/// Every request's path and Authorization header is recorded. Requests are bounded and each is answered on its own
/// task (a silent answer does not hold up the next request); it stops when disposed, releasing silent answers.
/// </summary>
public sealed class LoopbackHub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Dictionary<string, HubRepo> _repos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _cdn = new();
    private readonly ConcurrentDictionary<string, int> _gets = new();
    private readonly ConcurrentDictionary<string, Misbehaviour> _cdnMisbehaviour = new();
    private readonly List<Task> _handlers = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoopbackHub()
    {
        Downloads.ThreadPoolHeadroom.Ensure();
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    /// <summary>The endpoint to put in HF_ENDPOINT (no trailing slash).</summary>
    public string BaseUrl { get; }

    /// <summary>Where LFS redirects point: this server's /cdn path, unless another server is set (a CDN on another host).</summary>
    public LoopbackHub? ExternalCdn { get; set; }

    public ConcurrentQueue<(string Method, string Path, string? Authorization, string? Range)> Log { get; } = new();

    public HubRepo Repo(string id, string? requiredToken = null)
    {
        lock (_repos)
        {
            if (!_repos.TryGetValue(id, out var repo)) _repos[id] = repo = new HubRepo(id, requiredToken);
            return repo;
        }
    }

    /// <summary>Makes bytes downloadable from /cdn/&lt;sha256&gt; (a CDN stores by content).</summary>
    public string PutCdn(byte[] content)
    {
        var sha = Sha256(content);
        _cdn[sha] = content;
        return sha;
    }

    private async Task Serve()
    {
        for (int i = 0; i < 2000 && _listener.IsListening; i++)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            lock (_handlers) _handlers.Add(Task.Run(async () =>
            {
                try { await Handle(context); }
                catch (Exception) { try { context.Response.Abort(); } catch (Exception) { } }
            }));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        Log.Enqueue((request.HttpMethod, Uri.UnescapeDataString(path), request.Headers["Authorization"], request.Headers["Range"]));
        var parts = path.TrimStart('/').Split('/');
        if (parts.Length == 2 && parts[0] == "cdn" && _cdn.TryGetValue(parts[1], out var blob))
        {
            await Send(context, blob, null);
            return;
        }
        if (parts.Length >= 5 && parts[2] == "resolve")
        {
            var repoId = parts[0] + "/" + parts[1];
            var revision = Uri.UnescapeDataString(parts[3]);
            var file = string.Join('/', parts.Skip(4).Select(Uri.UnescapeDataString));
            HubRepo? repo;
            lock (_repos) _repos.TryGetValue(repoId, out repo);
            if (repo?.RenamedTo is { } newId)
            {
                // A renamed repository: a relative redirect to the new name, as the hub answers.
                response.StatusCode = 307;
                response.AddHeader("Location", "/" + newId + "/" + string.Join('/', parts.Skip(2)));
                response.ContentLength64 = 0;
                response.Close();
                return;
            }
            if (repo is null) { Error(response, 404, "RepoNotFound"); return; }
            if (repo.RequiredToken is { } token && request.Headers["Authorization"] != "Bearer " + token) { Error(response, 401, "GatedRepo"); return; }
            var commit = repo.Resolve(revision);
            if (commit is null) { Error(response, 404, "RevisionNotFound"); return; }
            if (!repo.Commits[commit].TryGetValue(file, out var entry)) { Error(response, 404, "EntryNotFound"); return; }
            var m = entry.Misbehaviour;
            if (m.SilentMetadata && request.HttpMethod == "HEAD")
            {
                await _released.Task; // accepts, then never answers
                response.Abort();
                return;
            }
            response.AddHeader("X-Repo-Commit", commit);
            if (entry.Lfs)
            {
                var advertisedSha = m.AdvertiseSha256 ?? Sha256(entry.Content);
                long advertisedSize = entry.Content.Length + m.SizeLie;
                var cdnSha = PutCdnFor(entry);
                var cdnBase = m.RedirectToOtherHost && ExternalCdn != null ? ExternalCdn.BaseUrl : BaseUrl;
                if (m.RedirectToOtherHost && ExternalCdn != null) ExternalCdn._cdn[cdnSha] = entry.Content;
                if (!m.NoHash) response.AddHeader("X-Linked-Etag", $"\"{advertisedSha}\"");
                response.AddHeader("X-Linked-Size", advertisedSize.ToString());
                response.AddHeader("ETag", "\"0123456789abcdef\""); // the pointer's etag: not the content hash
                response.StatusCode = 302;
                response.AddHeader("Location", $"{cdnBase}/cdn/{cdnSha}");
                response.ContentLength64 = 0;
                response.Close();
                return;
            }
            if (!m.NoHash) response.AddHeader("ETag", $"\"{m.AdvertiseGitSha1 ?? GitBlobSha1(entry.Content)}\"");
            await Send(context, entry.Content, m);
            return;
        }
        response.StatusCode = 404;
        response.Close();
    }

    private string PutCdnFor(HubFile entry)
    {
        var sha = Sha256(entry.Content);
        _cdn[sha] = entry.Content;
        if (entry.Misbehaviour.DropFirstDownloadAfter is { } cut) _dropAfter[sha] = cut;
        _cdnMisbehaviour[sha] = entry.Misbehaviour;
        return sha;
    }

    private readonly ConcurrentDictionary<string, long> _dropAfter = new();

    private async Task Send(HttpListenerContext context, byte[] body, Misbehaviour? m)
    {
        var request = context.Request;
        var response = context.Response;
        long from = 0;
        var range = request.Headers["Range"];
        if (range is not null && range.StartsWith("bytes=") && range.EndsWith('-') && long.TryParse(range[6..^1], out from))
        {
            if (from >= body.Length) { response.StatusCode = 416; response.Close(); return; }
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {from}-{body.Length - 1}/{body.Length}");
        }
        response.ContentLength64 = body.Length - from;
        if (request.HttpMethod == "HEAD") { response.Close(); return; }
        var key = Sha256(body);
        int n = _gets.AddOrUpdate(key, 1, (_, v) => v + 1);
        m ??= _cdnMisbehaviour.TryGetValue(key, out var cdn) ? cdn : null;
        if (n == 1 && m is { SilentFirstDownload: true })
        {
            await _released.Task; // no status line, no headers
            response.Abort();
            return;
        }
        long? cutAt = _dropAfter.TryGetValue(key, out var drop) ? drop : m?.StallFirstDownloadAfter;
        if (n == 1 && cutAt is { } cut)
        {
            await response.OutputStream.WriteAsync(body.AsMemory((int)from, (int)Math.Min(cut, body.Length - from)));
            await response.OutputStream.FlushAsync();
            if (m?.StallFirstDownloadAfter is not null) await _released.Task; // silent, the connection left open
            response.Abort(); // the connection drops mid-body
            return;
        }
        if (m is { TrickleChunk: > 0 } t)
        {
            for (long at = from; at < body.Length; at += t.TrickleChunk)
            {
                int count = (int)Math.Min(t.TrickleChunk, body.Length - at);
                await response.OutputStream.WriteAsync(body.AsMemory((int)at, count));
                await response.OutputStream.FlushAsync();
                if (at + count < body.Length) await Task.WhenAny(Task.Delay(t.TrickleDelay), _released.Task);
            }
            response.Close();
            return;
        }
        await response.OutputStream.WriteAsync(body.AsMemory((int)from));
        response.Close();
    }

    private static void Error(HttpListenerResponse response, int status, string code)
    {
        response.StatusCode = status;
        response.AddHeader("X-Error-Code", code);
        response.ContentLength64 = 0;
        response.Close();
    }

    public static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    public static string GitBlobSha1(byte[] data)
    {
        var header = Encoding.ASCII.GetBytes($"blob {data.Length}\0");
        return Convert.ToHexString(SHA1.HashData(header.Concat(data).ToArray())).ToLowerInvariant();
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        _released.TrySetResult();
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        Task[] handlers;
        lock (_handlers) handlers = _handlers.ToArray();
        try { Task.WaitAll(handlers, TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}

public sealed class HubRepo
{
    public HubRepo(string id, string? requiredToken)
    {
        Id = id;
        RequiredToken = requiredToken;
    }

    public string Id { get; }
    public string? RequiredToken { get; }
    /// <summary>Set: the repository was renamed; its resolve URLs redirect (relative) to the new id.</summary>
    public string? RenamedTo { get; set; }
    public Dictionary<string, string> Branches { get; } = new();
    public Dictionary<string, Dictionary<string, HubFile>> Commits { get; } = new();

    /// <summary>Adds a commit holding these files (name → content; LFS when the name ends in .bin/.pt/.safetensors) and points the branch at it.</summary>
    public string Commit(Dictionary<string, byte[]> files, string branch = "main", Dictionary<string, Misbehaviour>? misbehaviours = null, string? id = null)
    {
        var commit = id ?? Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(Id + Commits.Count + Guid.NewGuid()))).ToLowerInvariant();
        Commits[commit] = files.ToDictionary(f => f.Key, f => new HubFile(f.Value, IsLfs(f.Key),
            misbehaviours != null && misbehaviours.TryGetValue(f.Key, out var m) ? m : new Misbehaviour()));
        Branches[branch] = commit;
        return commit;
    }

    public static bool IsLfs(string name) => name.EndsWith(".bin") || name.EndsWith(".pt") || name.EndsWith(".safetensors");

    public string? Resolve(string revision) =>
        Commits.ContainsKey(revision) ? revision : Branches.TryGetValue(revision, out var c) ? c : null;
}

public sealed record HubFile(byte[] Content, bool Lfs, Misbehaviour Misbehaviour);

/// <summary>How a file's answers lie or fail.</summary>
public sealed record Misbehaviour
{
    public string? AdvertiseSha256 { get; init; }
    public string? AdvertiseGitSha1 { get; init; }
    public long SizeLie { get; init; }
    public bool NoHash { get; init; }
    public bool RedirectToOtherHost { get; init; }
    public long? DropFirstDownloadAfter { get; init; }
    /// <summary>The metadata HEAD is accepted and never answered (no headers).</summary>
    public bool SilentMetadata { get; init; }
    /// <summary>The first GET of the bytes is accepted and never answered (no headers).</summary>
    public bool SilentFirstDownload { get; init; }
    /// <summary>The first GET sends its headers and this many bytes, then stays silent with the connection open.</summary>
    public long? StallFirstDownloadAfter { get; init; }
    /// <summary>Every GET sends the bytes in chunks of this size with <see cref="TrickleDelay"/> between them (a slow link).</summary>
    public int TrickleChunk { get; init; }
    public TimeSpan TrickleDelay { get; init; }
}
