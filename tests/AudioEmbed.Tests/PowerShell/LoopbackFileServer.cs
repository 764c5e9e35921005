using System.Net;
using System.Net.Sockets;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 serving fixed bytes per path, for download tests (a model mirror).
/// It honours "Range: bytes=N-" (206 with the rest), can drop the connection part-way through its first response
/// (a network failure), serves a bounded number of requests and stops when disposed.
/// </summary>
public sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files;
    private readonly Task _loop;

    private readonly long? _dropFirstResponseAfter;

    public LoopbackFileServer(Dictionary<string, byte[]> files, long? dropFirstResponseAfter = null)
    {
        _files = files;
        _dropFirstResponseAfter = dropFirstResponseAfter;
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }
    public int Requests { get; private set; }

    /// <summary>The start offset of every Range request received, in order.</summary>
    public List<long> RangeStarts { get; } = new();

    public long BytesServed { get; private set; }

    private async Task Serve()
    {
        for (int i = 0; i < 100 && _listener.IsListening; i++)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; } // listener stopped
            Requests++;
            var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
            if (_files.TryGetValue(path, out var body))
            {
                long from = 0;
                var range = context.Request.Headers["Range"];
                if (range is not null && range.StartsWith("bytes=") && range.EndsWith('-') && long.TryParse(range[6..^1], out from))
                {
                    RangeStarts.Add(from);
                    if (from >= body.Length) { context.Response.StatusCode = 416; context.Response.Close(); continue; }
                    context.Response.StatusCode = 206;
                    context.Response.AddHeader("Content-Range", $"bytes {from}-{body.Length - 1}/{body.Length}");
                }
                context.Response.ContentLength64 = body.Length - from;
                if (Requests == 1 && _dropFirstResponseAfter is { } cut)
                {
                    await context.Response.OutputStream.WriteAsync(body.AsMemory((int)from, (int)cut));
                    await context.Response.OutputStream.FlushAsync();
                    BytesServed += cut;
                    context.Response.Abort(); // the connection drops mid-body
                    continue;
                }
                await context.Response.OutputStream.WriteAsync(body.AsMemory((int)from));
                BytesServed += body.Length - from;
            }
            else context.Response.StatusCode = 404;
            context.Response.Close();
        }
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
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
