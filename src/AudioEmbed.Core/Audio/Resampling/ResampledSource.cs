namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Streaming resampy resampler over a mono source: the same samples as <see cref="Resampy.Resample"/> (bit for bit)
/// while holding only a sliding window of input (twice the filter reach plus two read blocks), so a long file never
/// materialises. Optionally applies librosa 0.8.1's <c>fix_length</c> to ceil(L * r) at the end. Equal rates pass
/// the input through untouched.
/// </summary>
public sealed class ResampledSource : IAudioSource
{
    private const int ReadBlock = 16384;

    private readonly IAudioSource _input;
    private readonly bool _leaveOpen;
    private readonly bool _fixLength;
    private readonly ResampyKernel? _kernel;

    // Input window: _buffer[0.._count) holds input samples _bufferStart .. _bufferStart + _count.
    private readonly float[] _buffer = Array.Empty<float>();
    private long _bufferStart;
    private int _count;
    private long _inputRead;
    private bool _inputEnded;

    private TauCursor _cursor;
    /// <summary>Exclusive bound on output indices, known once the input has ended (computed samples, or fix_length target).</summary>
    private long _outputEnd = long.MaxValue;
    private long _computedEnd = long.MaxValue;

    public ResampledSource(IAudioSource input, int sampleRateOut, ResampyFilter filter = ResampyFilter.KaiserBest,
        ResampyVersion version = ResampyVersion.V0_4_2, bool fixLength = false, bool leaveOpen = false)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        if (input.Channels != 1)
            throw new ArgumentException($"The resampler takes mono input; this source has {input.Channels} channels (wrap it in {nameof(MonoDownmixSource)}).", nameof(input));
        Resampy.ValidateRates(input.SampleRate, sampleRateOut);
        SampleRate = sampleRateOut;
        _fixLength = fixLength;
        _leaveOpen = leaveOpen;
        if (input.SampleRate != sampleRateOut)
        {
            _kernel = ResampyKernel.Get(input.SampleRate, sampleRateOut, filter, version);
            _buffer = new float[2 * (_kernel.MaxTaps + 1) + 2 * ReadBlock];
        }
    }

    public int SampleRate { get; }

    public int Channels => 1;

    public long? TotalFrames => _input.TotalFrames is long n ? FinalLength(n) : null;

    public int Read(Span<float> interleaved)
    {
        if (_kernel is null) return _input.Read(interleaved);
        int produced = 0;
        while (produced < interleaved.Length)
        {
            if (_cursor.T >= _outputEnd) break;
            if (_inputEnded)
            {
                produced += ComputeAvailable(interleaved[produced..], maxN: long.MaxValue);
                produced += PadZeros(interleaved[produced..]);
                break;
            }
            // Before the end, an output is computable once its whole right wing has arrived: n + MaxTaps < read.
            // Its left wing is in the window because samples are dropped only below n - MaxTaps.
            int done = ComputeAvailable(interleaved[produced..], maxN: _inputRead - _kernel.MaxTaps - 1);
            produced += done;
            if (produced < interleaved.Length) ReadMoreInput();
        }
        return produced;
    }

    private int ComputeAvailable(Span<float> output, long maxN)
    {
        // Outputs must stay below resampy's length for the input seen so far (monotone in it, so never overshoots),
        // and below the fix_length target when truncating.
        long tEnd = _inputEnded ? _computedEnd : Math.Min(_kernel!.OutputLength(_inputRead), _fixLength ? Resampy.FixedLength(_inputRead, _input.SampleRate, SampleRate) : long.MaxValue);
        return _kernel!.Compute(_buffer.AsSpan(0, _count), _bufferStart, _inputRead, maxN, tEnd, ref _cursor, output);
    }

    private int PadZeros(Span<float> output)
    {
        int zeros = (int)Math.Min(output.Length, _outputEnd - _cursor.T);
        if (zeros <= 0) return 0;
        output[..zeros].Clear();
        _cursor.T += zeros;
        return zeros;
    }

    private void ReadMoreInput()
    {
        // Drop what no future output reaches: everything below n - MaxTaps of the next output.
        long keepFrom = Math.Max(_bufferStart, (long)_cursor.Tau - _kernel!.MaxTaps);
        int drop = (int)Math.Min(keepFrom - _bufferStart, _count);
        if (drop > 0 && _buffer.Length - _count < ReadBlock)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
            _count -= drop;
            _bufferStart += drop;
        }
        int free = Math.Min(_buffer.Length - _count, ReadBlock);
        int frames = _input.Read(_buffer.AsSpan(_count, free));
        if (frames == 0)
        {
            _inputEnded = true;
            _computedEnd = _kernel.OutputLength(_inputRead);
            _outputEnd = FinalLength(_inputRead);
            if (_computedEnd > _outputEnd) _computedEnd = _outputEnd;
            return;
        }
        _count += frames;
        _inputRead += frames;
    }

    private long FinalLength(long inputLength) => _kernel is null ? inputLength
        : _fixLength ? Resampy.FixedLength(inputLength, _input.SampleRate, SampleRate)
        : _kernel.OutputLength(inputLength);

    public void Dispose()
    {
        if (!_leaveOpen) _input.Dispose();
    }
}
