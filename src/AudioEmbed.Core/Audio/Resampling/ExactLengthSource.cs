namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Gives a resampling chain its upstream output length, which depends on the input length and so is known only at
/// the end: the first <c>kept(n)</c> samples of the chain pass through, the chain's later samples are dropped, and
/// zeros pad the result to <c>total(n)</c> (librosa's <c>fix_length</c>). While the input is still arriving, a sample
/// is released only once the input read so far already guarantees it is kept (kept is monotone in n).
/// </summary>
internal sealed class ExactLengthSource : IAudioSource
{
    private const int Block = 16384;

    private readonly IAudioSource _chain;
    private readonly CountingSource _counted;
    private readonly IDisposable _owned;
    private readonly Func<long, long> _kept, _total;
    private readonly float[] _pending = new float[Block];
    private int _pendingStart, _pendingCount;
    private long _emitted;
    private bool _chainEnded;

    /// <param name="chain">The resampling stages, reading (directly or through others) from <paramref name="counted"/>.</param>
    /// <param name="counted">The chain's bottom: counts the input samples read so far.</param>
    /// <param name="owned">Disposed with this source (the original input, unless the caller keeps it open).</param>
    /// <param name="kept">Samples of the chain kept for an input of n samples.</param>
    /// <param name="total">Final length for an input of n samples (≥ kept; the rest is zeros).</param>
    public ExactLengthSource(IAudioSource chain, CountingSource counted, IDisposable owned, Func<long, long> kept, Func<long, long> total)
    {
        _chain = chain;
        _counted = counted;
        _owned = owned;
        _kept = kept;
        _total = total;
    }

    public int SampleRate => _chain.SampleRate;
    public int Channels => 1;
    public long? TotalFrames => _counted.TotalFrames is long n ? _total(n) : null;

    public int Read(Span<float> interleaved)
    {
        int produced = 0;
        while (produced < interleaved.Length)
        {
            if (_pendingCount > 0)
            {
                long limit = _chainEnded ? Math.Min(_kept(_counted.FramesRead), _total(_counted.FramesRead)) : _kept(_counted.FramesRead);
                int n = (int)Math.Min(Math.Min(_pendingCount, interleaved.Length - produced), Math.Max(0, limit - _emitted));
                if (n > 0)
                {
                    _pending.AsSpan(_pendingStart, n).CopyTo(interleaved[produced..]);
                    _pendingStart += n;
                    _pendingCount -= n;
                    _emitted += n;
                    produced += n;
                    continue;
                }
                if (_chainEnded) { _pendingCount = 0; continue; } // beyond the kept length: dropped
            }
            if (!_chainEnded)
            {
                if (_pendingStart > 0)
                {
                    _pending.AsSpan(_pendingStart, _pendingCount).CopyTo(_pending);
                    _pendingStart = 0;
                }
                if (_pendingCount == _pending.Length)
                    throw new InvalidOperationException("Resampler output ran ahead of its input.");
                int got = _chain.Read(_pending.AsSpan(_pendingCount));
                if (got == 0) _chainEnded = true;
                _pendingCount += got;
                continue;
            }
            // Chain and pending exhausted: zeros up to the final length.
            long zeros = Math.Min(interleaved.Length - produced, _total(_counted.FramesRead) - _emitted);
            if (zeros <= 0) break;
            interleaved.Slice(produced, (int)zeros).Clear();
            produced += (int)zeros;
            _emitted += zeros;
        }
        return produced;
    }

    public void Dispose()
    {
        _chain.Dispose();
        _owned.Dispose();
    }
}
