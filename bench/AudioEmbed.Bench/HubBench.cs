using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AudioEmbed.Core.Store.HuggingFace;

namespace AudioEmbed.Bench;

/// <summary>
/// What verifying a Hugging Face download costs: a 256 MB "checkpoint" fetched from a loopback hub (HEAD on resolve,
/// 302 to a CDN path, GET, hashed while written) against copying the same file on disk, and the cache check (hashing a
/// blob) against plain SHA-256 of the file - ratios measured in the same run.
/// </summary>
internal static class HubBench
{
    public static void Run(Report report)
    {
        const int Size = 256 << 20;
        var dir = Path.Combine(Path.GetTempPath(), "audioembed-hub-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var bytes = new byte[Size];
            new Random(1).NextBytes(bytes);
            var source = Path.Combine(dir, "source.bin");
            File.WriteAllBytes(source, bytes);
            var sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

            var copy = Report.Best(3, () => File.Copy(source, Path.Combine(dir, "copy.bin"), overwrite: true));
            var plainSha = Report.Best(3, () => { using var s = File.OpenRead(source); SHA256.HashData(s); });
            var cacheCheck = Report.Best(3, () => ContentHasher.OfFile(source, CancellationToken.None, gitBlobSha1: false));
            var bothHashes = Report.Best(3, () => ContentHasher.OfFile(source, CancellationToken.None, gitBlobSha1: true));

            using var listener = new HttpListener();
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = $"http://127.0.0.1:{port}";
            listener.Prefixes.Add(url + "/");
            listener.Start();
            var server = Task.Run(async () =>
            {
                for (int i = 0; i < 40 && listener.IsListening; i++)
                {
                    HttpListenerContext c;
                    try { c = await listener.GetContextAsync(); } catch (Exception) { return; }
                    if (c.Request.Url!.AbsolutePath.StartsWith("/cdn/"))
                    {
                        c.Response.ContentLength64 = Size;
                        if (c.Request.HttpMethod != "HEAD") await c.Response.OutputStream.WriteAsync(bytes);
                    }
                    else
                    {
                        c.Response.StatusCode = 302;
                        c.Response.AddHeader("X-Repo-Commit", new string('a', 40));
                        c.Response.AddHeader("X-Linked-Etag", $"\"{sha}\"");
                        c.Response.AddHeader("X-Linked-Size", Size.ToString());
                        c.Response.AddHeader("Location", $"{url}/cdn/{sha}");
                        c.Response.ContentLength64 = 0;
                    }
                    c.Response.Close();
                }
            });
            using var raw = new HttpClient();
            var plainGet = Report.Best(3, () =>
            {
                using var body = raw.GetStreamAsync($"{url}/cdn/{sha}").GetAwaiter().GetResult();
                using var file = File.Create(Path.Combine(dir, "raw.bin"));
                body.CopyTo(file);
            });
            var client = new HubClient(new HubSettings(url, null, false));
            var download = Report.Best(3, () =>
            {
                var meta = client.GetMetadata("org/model", "main", "pytorch_model.bin", CancellationToken.None);
                client.Download(meta, meta.Hash!, meta.Size!.Value, Path.Combine(dir, "x.partial"), Path.Combine(dir, "downloaded.bin"), null, CancellationToken.None);
            });
            listener.Stop();
            try { server.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }

            double mb = Size / 1048576.0;
            report.Add("hub: file copy (reference)", $"{mb / copy.TotalSeconds:F0} MB/s", "256 MB on this disk");
            report.Add("hub: plain HttpClient GET (reference)", $"{mb / plainGet.TotalSeconds:F0} MB/s", "same loopback server, no checks");
            report.Add("hub: verified loopback download", $"{plainGet.TotalSeconds / download.TotalSeconds:F2}x plain GET", $"{mb / download.TotalSeconds:F0} MB/s ({copy.TotalSeconds / download.TotalSeconds:F2}x file copy): HEAD, 302, GET, SHA-256 while written, fsync");
            report.Add("hub: SHA-256 of a file (reference)", $"{mb / plainSha.TotalSeconds:F0} MB/s");
            report.Add("hub: cache blob check (LFS)", $"{plainSha.TotalSeconds / cacheCheck.TotalSeconds:F2}x sha256", "SHA-256 only");
            report.Add("hub: SHA-256 + git blob SHA-1", $"{plainSha.TotalSeconds / bothHashes.TotalSeconds:F2}x sha256", "what a small file needs");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
