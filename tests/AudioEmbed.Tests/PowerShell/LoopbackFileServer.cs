using System.Net;
using System.Net.Sockets;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 serving fixed bytes per path, for download tests (a model mirror).
/// It serves a bounded number of requests and stops when disposed.
/// </summary>
public sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files;
    private readonly Task _loop;

    public LoopbackFileServer(Dictionary<string, byte[]> files)
    {
        _files = files;
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }
    public int Requests { get; private set; }

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
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
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
