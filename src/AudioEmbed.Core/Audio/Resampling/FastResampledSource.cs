using System.Numerics.Tensors;

namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Streaming resampler over a mono source with resampy's filter, computed as one vectorised dot product per output
/// (see <see cref="PolyphaseKernel"/>): several times faster than the exact loop of <see cref="ResampledSource"/>,
/// equal to it within 2e-6, with the same output length rules (resampy's, optionally librosa's fix_length).
/// Memory: a window of about two filter lengths plus one read block.
/// </summary>
public sealed class FastResampledSource : IAudioSource
{
    private readonly IAudioSource _input;
    private readonly PolyphaseKernel _kernel;
    private readonly bool _fixLength, _leaveOpen;
    private readonly ResampyVersion _version;

    // Input indices; negative at first: leading zeros stand for the samples before the start, which resampy's loop
    // simply does not use (as it does not use samples past the end: the trailing zeros).
    private readonly InputWindow _window;
    private long _t;
    // resampy's own float64 position of output t, to catch the rare output it places just below an integer.
    private readonly double _timeIncrement;
    private double _tau;
    private long _computedEnd = long.MaxValue, _outputEnd = long.MaxValue;

    private FastResampledSource(IAudioSource input, int sampleRateOut, PolyphaseKernel kernel, ResampyVersion version, bool fixLength, bool leaveOpen)
    {
        _input = input;
        SampleRate = sampleRateOut;
        _kernel = kernel;
        _version = version;
        _fixLength = fixLength;
        _leaveOpen = leaveOpen;
        _window = new InputWindow(input, 4 * kernel.Width + 2 * InputWindow.ReadBlock, -kernel.MaxTaps, kernel.MaxTaps, kernel.Width);
        _timeIncrement = 1.0 / ((double)sampleRateOut / input.SampleRate);
    }

    /// <summary>A fast resampler for this conversion, or null when the ratio is not a small rational (use <see cref="ResampledSource"/>).</summary>
    public static FastResampledSource? TryCreate(IAudioSource input, int sampleRateOut, ResampyFilter filter = ResampyFilter.KaiserBest,
        ResampyVersion version = ResampyVersion.V0_4_2, bool fixLength = false, bool leaveOpen = false)
    {
        if (input.Channels != 1) throw new ArgumentException($"The resampler takes mono input; this source has {input.Channels} channels.", nameof(input));
        Resampy.ValidateRates(input.SampleRate, sampleRateOut);
        if (input.SampleRate == sampleRateOut) return null;
        var kernel = PolyphaseKernel.Get(input.SampleRate, sampleRateOut, filter, version);
        return kernel is null ? null : new FastResampledSource(input, sampleRateOut, kernel, version, fixLength, leaveOpen);
    }

    public int SampleRate { get; }
    public int Channels => 1;
    public long? TotalFrames => _input.TotalFrames is long n ? FinalLength(n) : null;

    public int Read(Span<float> interleaved)
    {
        int produced = 0;
        while (produced < interleaved.Length && _t < _outputEnd)
        {
            long n = _t * _kernel.Q / _kernel.P;
            bool computable = _window.InputEnded ? _t < _computedEnd : n + _kernel.MaxTaps < _window.InputRead;
            if (computable)
            {
                int phase = (int)(_t * _kernel.Q % _kernel.P);
                if (phase == 0 && _t > 0 && (long)_tau < n) (n, phase) = (n - 1, _kernel.P); // resampy landed just below n
                long first = n - _kernel.MaxTaps + 1 - _window.Start;
                interleaved[produced++] = TensorPrimitives.Dot(_kernel.Rows.AsSpan(phase * _kernel.Width, _kernel.Width), _window.Buffer.AsSpan((int)first, _kernel.Width));
                Advance();
            }
            else if (_window.InputEnded)
            {
                interleaved[produced++] = 0f; // librosa's fix_length pads the computed samples with zeros
                Advance();
            }
            else ReadMore();
        }
        return produced;
    }

    /// <summary>resampy 0.2 accumulates the position in float64; 0.3+ multiplies t by 1/r.</summary>
    private void Advance()
    {
        _t++;
        _tau = _version == ResampyVersion.V0_2_2 ? _tau + _timeIncrement : _t * _timeIncrement;
    }

    private void ReadMore()
    {
        // Keep only what the next output's left wing reaches.
        if (_window.ReadMore(_t * _kernel.Q / _kernel.P - _kernel.MaxTaps + 1)) return;
        long inputRead = _window.InputRead;
        _computedEnd = Resampy.OutputLength(inputRead, _input.SampleRate, SampleRate, _version);
        _outputEnd = FinalLength(inputRead);
        if (_computedEnd > _outputEnd) _computedEnd = _outputEnd;
    }

    private long FinalLength(long inputLength) => _fixLength
        ? Resampy.FixedLength(inputLength, _input.SampleRate, SampleRate)
        : Resampy.OutputLength(inputLength, _input.SampleRate, SampleRate, _version);

    public void Dispose()
    {
        if (!_leaveOpen) _input.Dispose();
    }
}
