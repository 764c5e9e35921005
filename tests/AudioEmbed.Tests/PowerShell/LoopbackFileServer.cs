using System.Net;
using System.Net.Sockets;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 serving fixed bytes per path, for download tests (a model mirror).
/// It honours "Range: bytes=N-" (206 with the rest), can drop the connection part-way through its first response
/// (a network failure), can go silent on its first response (before the headers, or part-way through the body, with
/// the connection left open: a stalled server), can trickle every response in small timed chunks (a slow link),
/// serves a bounded number of requests and stops when disposed (a silent response is released then).
/// </summary>
public sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files;
    private readonly Task _loop;
    private readonly List<Task> _handlers = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly long? _dropFirstResponseAfter;
    private int _requests;
    private long _bytesServed;

    public LoopbackFileServer(Dictionary<string, byte[]> files, long? dropFirstResponseAfter = null)
    {
        _files = files;
        _dropFirstResponseAfter = dropFirstResponseAfter;
        Downloads.ThreadPoolHeadroom.Ensure();
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The first response never gets its headers: the server accepts and stays silent until disposed.</summary>
    public bool SilentFirstResponse { get; init; }

    /// <summary>The first response sends its headers and this many body bytes, then stays silent with the connection open.</summary>
    public long? StallFirstResponseAfter { get; init; }

    /// <summary>Every response body is sent in chunks of this many bytes with <see cref="TrickleDelay"/> between them.</summary>
    public int TrickleChunk { get; init; }
    public TimeSpan TrickleDelay { get; init; }

    /// <summary>The start offset of every Range request received, in order.</summary>
    public List<long> RangeStarts { get; } = new();

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    private async Task Serve()
    {
        for (int i = 0; i < 100 && _listener.IsListening; i++)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; } // listener stopped
            int number = Interlocked.Increment(ref _requests);
            // Each request on its own task: a silent response must not keep the next request (a resume) waiting.
            lock (_handlers) _handlers.Add(Task.Run(async () =>
            {
                try { await Handle(context, number); }
                catch (Exception) { try { context.Response.Abort(); } catch (Exception) { } }
            }));
        }
    }

    private async Task Handle(HttpListenerContext context, int number)
    {
        var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
        if (!_files.TryGetValue(path, out var body))
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }
        if (number == 1 && SilentFirstResponse)
        {
            await _released.Task; // never answers: no status line, no headers
            context.Response.Abort();
            return;
        }
        long from = 0;
        var range = context.Request.Headers["Range"];
        if (range is not null && range.StartsWith("bytes=") && range.EndsWith('-') && long.TryParse(range[6..^1], out from))
        {
            lock (RangeStarts) RangeStarts.Add(from);
            if (from >= body.Length) { context.Response.StatusCode = 416; context.Response.Close(); return; }
            context.Response.StatusCode = 206;
            context.Response.AddHeader("Content-Range", $"bytes {from}-{body.Length - 1}/{body.Length}");
        }
        context.Response.ContentLength64 = body.Length - from;
        var output = context.Response.OutputStream;
        if (number == 1 && (_dropFirstResponseAfter ?? StallFirstResponseAfter) is { } cut)
        {
            await output.WriteAsync(body.AsMemory((int)from, (int)cut));
            await output.FlushAsync();
            Interlocked.Add(ref _bytesServed, cut);
            if (StallFirstResponseAfter is not null) await _released.Task; // silent, the connection left open
            context.Response.Abort(); // the connection drops mid-body
            return;
        }
        if (TrickleChunk > 0)
        {
            for (long at = from; at < body.Length; at += TrickleChunk)
            {
                int n = (int)Math.Min(TrickleChunk, body.Length - at);
                await output.WriteAsync(body.AsMemory((int)at, n));
                await output.FlushAsync();
                Interlocked.Add(ref _bytesServed, n);
                if (at + n < body.Length) await Task.WhenAny(Task.Delay(TrickleDelay), _released.Task);
            }
        }
        else
        {
            await output.WriteAsync(body.AsMemory((int)from));
            Interlocked.Add(ref _bytesServed, body.Length - from);
        }
        context.Response.Close();
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
