namespace AudioEmbed.Core.Store;

/// <summary>
/// Runs one HTTP exchange under a stall limit: each wait (for the response headers, for each body read) gets the
/// whole limit afresh, and the timer is stopped while the bytes are written and hashed, so only the server's silence
/// counts and a slow but steady download never times out. The caller's token still cancels every wait at once
/// (Ctrl+C), and its cancellation wins over a stall that happens at the same moment.
/// </summary>
internal sealed class StallWatch : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationToken _caller;

    public StallWatch(TimeSpan limit, CancellationToken caller)
    {
        Limit = limit;
        _caller = caller;
        _timer = CancellationTokenSource.CreateLinkedTokenSource(caller);
    }

    public TimeSpan Limit { get; }

    /// <summary>Sends and waits for the headers only (the body is read by <see cref="Read"/>).</summary>
    public HttpResponseMessage Send(HttpClient client, HttpRequestMessage request)
    {
        _timer.CancelAfter(Limit);
        try { return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _timer.Token).GetAwaiter().GetResult(); }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException && Stalled)
        {
            throw DownloadStalledException.NoHeaders(Limit);
        }
        finally { Pause(); }
    }

    /// <summary>One read of at most buffer.Length bytes; 0 at the end of the body.</summary>
    public int Read(Stream body, byte[] buffer, long received, long? total)
    {
        _timer.CancelAfter(Limit);
        try { return body.ReadAsync(buffer.AsMemory(), _timer.Token).AsTask().GetAwaiter().GetResult(); }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && Stalled)
        {
            throw DownloadStalledException.NoData(Limit, received, total);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && _caller.IsCancellationRequested)
        {
            throw new OperationCanceledException(_caller); // Ctrl+C: the caller's cancellation, not an I/O failure
        }
        finally { Pause(); }
    }

    /// <summary>The timer fired: the server was silent (not the caller cancelling).</summary>
    private bool Stalled => _timer.IsCancellationRequested && !_caller.IsCancellationRequested;

    private void Pause()
    {
        if (!_timer.IsCancellationRequested) _timer.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}
