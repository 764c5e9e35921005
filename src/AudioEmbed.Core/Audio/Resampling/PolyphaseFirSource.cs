using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Streams a mono source through one <see cref="PolyphaseFir"/> stage. Inputs before the first sample and after the
/// last count as zero; the stream ends after the last output whose window still reaches an input sample (later ones
/// would be exactly zero). Memory: a window of the filter width plus one read block.
/// </summary>
internal sealed class PolyphaseFirSource : IAudioSource
{
    private const int ReadBlock = 16384;

    private readonly IAudioSource _input;
    private readonly PolyphaseFir _fir;
    private readonly bool _leaveOpen;

    // _buffer[0.._count) holds input samples from absolute index _bufferStart (negative at first: the leading zeros).
    private float[] _buffer;
    private long _bufferStart;
    private int _count;
    private long _inputRead;
    private bool _inputEnded;

    // Next output: o = _period·P + _phase; its window starts at _period·Q + Offsets[_phase].
    private long _period;
    private int _phase;
    private bool _finished;

    public PolyphaseFirSource(IAudioSource input, int sampleRateOut, PolyphaseFir fir, bool leaveOpen = false)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        if (input.Channels != 1) throw new ArgumentException($"The resampler takes mono input; this source has {input.Channels} channels.", nameof(input));
        _fir = fir;
        _leaveOpen = leaveOpen;
        SampleRate = sampleRateOut;
        int lead = Math.Max(0, -fir.Offsets[0]);
        _buffer = new float[2 * (fir.Width + fir.Q) + lead + ReadBlock];
        _bufferStart = -lead;
        _count = lead;
    }

    public int SampleRate { get; }
    public int Channels => 1;

    /// <summary>Unknown in advance: the owner of the stage decides the final length (see <see cref="ExactLengthSource"/>).</summary>
    public long? TotalFrames => null;

    public int Read(Span<float> interleaved)
    {
        int produced = 0;
        var fir = _fir;
        int width = fir.Width;
        while (produced < interleaved.Length && !_finished)
        {
            long start = _period * fir.Q + fir.Offsets[_phase];
            if (_inputEnded && start >= _inputRead)
            {
                _finished = true; // this window and every later one hold only the trailing zeros
                break;
            }
            if (start + width > _bufferStart + _count)
            {
                ReadMore(start);
                continue;
            }
            // As many outputs as the buffered input allows, without re-checking the input state per sample.
            var rows = fir.Rows;
            var buffer = _buffer;
            long bufferEnd = _bufferStart + _count;
            while (produced < interleaved.Length)
            {
                start = _period * fir.Q + fir.Offsets[_phase];
                if (start + width > bufferEnd || (_inputEnded && start >= _inputRead)) break;
                interleaved[produced++] = Dot(
                    new ReadOnlySpan<float>(rows, _phase * width, width),
                    new ReadOnlySpan<float>(buffer, (int)(start - _bufferStart), width));
                if (++_phase == fir.P) { _phase = 0; _period++; }
            }
        }
        return produced;
    }

    /// <summary>
    /// Dot product of two spans whose length is a multiple of 8: two 256-bit accumulators (separate multiply and add,
    /// like libsoxr's SSE loops); TensorPrimitives where 256-bit vectors are not accelerated.
    /// </summary>
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (!Vector256.IsHardwareAccelerated) return TensorPrimitives.Dot(a, b);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        int n = a.Length, i = 0;
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        for (; i + 16 <= n; i += 16)
        {
            acc0 += Vector256.LoadUnsafe(ref pa, (nuint)i) * Vector256.LoadUnsafe(ref pb, (nuint)i);
            acc1 += Vector256.LoadUnsafe(ref pa, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref pb, (nuint)(i + 8));
        }
        if (i < n) acc0 += Vector256.LoadUnsafe(ref pa, (nuint)i) * Vector256.LoadUnsafe(ref pb, (nuint)i);
        return Vector256.Sum(acc0 + acc1);
    }

    private void ReadMore(long nextStart)
    {
        if (_inputEnded) throw new InvalidOperationException("Resampling stage ran past its trailing zeros.");
        // Drop what no later output reads (window starts never move backwards).
        int drop = (int)Math.Clamp(nextStart - _bufferStart, 0, _count);
        if (drop > 0 && _buffer.Length - _count < ReadBlock + _fir.Width)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
            _count -= drop;
            _bufferStart += drop;
        }
        if (_buffer.Length - _count < ReadBlock + _fir.Width) Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _count + ReadBlock + _fir.Width));
        int frames = _input.Read(_buffer.AsSpan(_count, ReadBlock));
        if (frames > 0)
        {
            _count += frames;
            _inputRead += frames;
            return;
        }
        _inputEnded = true;
        // Trailing zeros: enough for every window that starts on or before the last sample.
        _buffer.AsSpan(_count, _fir.Width).Clear();
        _count += _fir.Width;
    }

    public void Dispose()
    {
        if (!_leaveOpen) _input.Dispose();
    }
}
