namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Streams a mono source through an <see cref="InterpolatedPolyphaseFir"/>. Output i reads the window starting at the
/// integer part of Start + i·Step (computed exactly in 128-bit arithmetic, as libsoxr's 32.32 clock accumulates it);
/// the stream ends after the last window that still reaches an input sample.
/// </summary>
internal sealed class InterpolatedPolyphaseSource : IAudioSource
{
    private const int ReadBlock = 16384;

    private readonly IAudioSource _input;
    private readonly InterpolatedPolyphaseFir _fir;
    private readonly float[] _row;
    private float[] _buffer;
    private long _bufferStart;   // absolute index (in the zero-padded input) of _buffer[0]
    private int _count;
    private long _inputRead;     // real input samples read
    private bool _inputEnded;
    private long _output;
    private bool _finished;

    public InterpolatedPolyphaseSource(IAudioSource input, int sampleRateOut, InterpolatedPolyphaseFir fir)
    {
        _input = input;
        _fir = fir;
        SampleRate = sampleRateOut;
        _row = new float[fir.Taps];
        _buffer = new float[2 * fir.Taps + fir.LeadingZeros + ReadBlock];
        _count = fir.LeadingZeros; // the pre-load zeros
    }

    public int SampleRate { get; }
    public int Channels => 1;
    public long? TotalFrames => null;

    public int Read(Span<float> interleaved)
    {
        int produced = 0;
        var fir = _fir;
        int taps = fir.Taps, terms = fir.Order + 1, phaseBits = fir.PhaseBits;
        var coefs = fir.Coefficients;
        while (produced < interleaved.Length && !_finished)
        {
            Int128 position = (Int128)fir.Start + (Int128)_output * fir.Step;
            long window = (long)(position >> 32);
            uint frac = (uint)(position & uint.MaxValue);
            long last = fir.LeadingZeros + _inputRead - 1; // padded index of the last real sample read so far
            if (_inputEnded && window > last) { _finished = true; break; }
            if (window + taps > _bufferStart + _count) { ReadMore(window); continue; }

            int phase = (int)(frac >> (32 - phaseBits));
            float x = (float)((uint)(frac << phaseBits) * (1.0 / 4294967296.0));
            int at = phase * taps * terms;
            if (terms == 2)
                for (int m = 0; m < taps; m++, at += 2) _row[m] = coefs[at + 1] * x + coefs[at];
            else
                for (int m = 0; m < taps; m++, at += 3) _row[m] = (coefs[at + 2] * x + coefs[at + 1]) * x + coefs[at];
            interleaved[produced++] = System.Numerics.Tensors.TensorPrimitives.Dot(_row, new ReadOnlySpan<float>(_buffer, (int)(window - _bufferStart), taps));
            _output++;
        }
        return produced;
    }

    private void ReadMore(long nextWindow)
    {
        if (_inputEnded) throw new InvalidOperationException("Resampling stage ran past its trailing zeros.");
        int drop = (int)Math.Clamp(nextWindow - _bufferStart, 0, _count);
        if (drop > 0 && _buffer.Length - _count < ReadBlock + _fir.Taps)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
            _count -= drop;
            _bufferStart += drop;
        }
        if (_buffer.Length - _count < ReadBlock + _fir.Taps) Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _count + ReadBlock + _fir.Taps));
        int frames = _input.Read(_buffer.AsSpan(_count, ReadBlock));
        if (frames > 0)
        {
            _count += frames;
            _inputRead += frames;
            return;
        }
        _inputEnded = true;
        _buffer.AsSpan(_count, _fir.Taps).Clear();
        _count += _fir.Taps;
    }

    public void Dispose() => _input.Dispose();
}
