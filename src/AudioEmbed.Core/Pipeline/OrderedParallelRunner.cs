namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// Runs work items on up to N worker threads while handing results back in input order, on the caller's thread:
/// the next files decode and compute while the current one is still running, and a PowerShell pipeline only ever
/// writes from its own thread. The window of items in flight is bounded, so memory stays flat on long runs.
/// An error the caller calls fatal (a device that is gone) cancels the items already in flight: they end as
/// cancelled instead of each failing or computing on after the run has stopped.
/// </summary>
public sealed class OrderedParallelRunner<TIn, TOut>
{
    private readonly Queue<(TIn Item, Task<TOut> Task)> _window = new();
    private readonly Func<TIn, CancellationToken, TOut> _work;
    private readonly int _maxParallel;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _ct;
    private readonly Func<Exception, bool> _isFatal;

    /// <param name="isFatal">Errors after which no item should go on (default: none).</param>
    public OrderedParallelRunner(int maxParallel, Func<TIn, CancellationToken, TOut> work, CancellationToken ct, Func<Exception, bool>? isFatal = null)
    {
        if (maxParallel < 1) throw new ArgumentOutOfRangeException(nameof(maxParallel));
        _maxParallel = maxParallel;
        _work = work;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _ct = _stop.Token;
        _isFatal = isFatal ?? (_ => false);
    }

    /// <summary>Whether a fatal error (or the caller's token) stopped the run.</summary>
    public bool Stopped => _ct.IsCancellationRequested;

    /// <summary>Runs one item; a fatal error cancels every other item in flight before it is passed on.</summary>
    private TOut Work(TIn item)
    {
        try { return _work(item, _ct); }
        catch (Exception ex) when (_isFatal(ex))
        {
            _stop.Cancel();
            throw;
        }
    }

    /// <summary>Starts <paramref name="item"/> and returns the results that are ready in order, waiting for the oldest when the window is full.</summary>
    public IEnumerable<Completed> Add(TIn item)
    {
        var results = new List<Completed>();
        if (_maxParallel == 1)
        {
            // No worker thread at all: the same thread, the same order, nothing to hand over.
            results.Add(Run(item));
            return results;
        }
        while (_window.Count >= _maxParallel) results.Add(Dequeue());
        _window.Enqueue((item, Task.Run(() => Work(item), _ct)));
        while (_window.Count > 0 && _window.Peek().Task.IsCompleted) results.Add(Dequeue());
        return results;
    }

    /// <summary>Waits for everything still running and returns it in order.</summary>
    public IEnumerable<Completed> Drain()
    {
        while (_window.Count > 0) yield return Dequeue();
    }

    private Completed Run(TIn item)
    {
        try { return new Completed(item, Work(item), null); }
        catch (Exception ex) { return new Completed(item, default, ex); }
    }

    private Completed Dequeue()
    {
        var (item, task) = _window.Dequeue();
        try { return new Completed(item, task.GetAwaiter().GetResult(), null); }
        catch (Exception ex) { return new Completed(item, default, ex); }
    }

    public readonly record struct Completed(TIn Item, TOut? Result, Exception? Error);
}
