namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Streams a mono source through an <see cref="InterpolatedPolyphaseFir"/>. Output i reads the window starting at the
/// integer part of Start + i·Step (computed exactly in 128-bit arithmetic, as libsoxr's 32.32 clock accumulates it);
/// the stream ends after the last window that still reaches an input sample.
/// </summary>
internal sealed class InterpolatedPolyphaseSource : IAudioSource
{
    private readonly IAudioSource _input;
    private readonly InterpolatedPolyphaseFir _fir;
    private readonly float[] _row;
    private readonly InputWindow _window; // indices are in the zero-padded input (LeadingZeros before sample 0)
    private long _output;
    private bool _finished;

    public InterpolatedPolyphaseSource(IAudioSource input, int sampleRateOut, InterpolatedPolyphaseFir fir)
    {
        _input = input;
        _fir = fir;
        SampleRate = sampleRateOut;
        _row = new float[fir.Taps];
        _window = new InputWindow(input, 2 * fir.Taps + fir.LeadingZeros + InputWindow.ReadBlock, 0, fir.LeadingZeros, fir.Taps);
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
            long last = fir.LeadingZeros + _window.InputRead - 1; // padded index of the last real sample read so far
            if (_window.InputEnded && window > last) { _finished = true; break; }
            if (window + taps > _window.End) { _window.ReadMore(window); continue; }

            int phase = (int)(frac >> (32 - phaseBits));
            float x = (float)((uint)(frac << phaseBits) * (1.0 / 4294967296.0));
            int at = phase * taps * terms;
            if (terms == 2)
                for (int m = 0; m < taps; m++, at += 2) _row[m] = coefs[at + 1] * x + coefs[at];
            else
                for (int m = 0; m < taps; m++, at += 3) _row[m] = (coefs[at + 2] * x + coefs[at + 1]) * x + coefs[at];
            interleaved[produced++] = System.Numerics.Tensors.TensorPrimitives.Dot(_row, new ReadOnlySpan<float>(_window.Buffer, (int)(window - _window.Start), taps));
            _output++;
        }
        return produced;
    }

    public void Dispose() => _input.Dispose();
}
