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

    private readonly IAudioSource _input;
    private readonly PolyphaseFir _fir;
    private readonly bool _leaveOpen;

    private readonly InputWindow _window; // input indices; negative at first: the leading zeros

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
        _window = new InputWindow(input, 2 * (fir.Width + fir.Q) + lead + InputWindow.ReadBlock, -lead, lead, fir.Width);
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
            if (_window.InputEnded && start >= _window.InputRead)
            {
                _finished = true; // this window and every later one hold only the trailing zeros
                break;
            }
            if (start + width > _window.End)
            {
                _window.ReadMore(start); // nothing before this window is read again (window starts never move backwards)
                continue;
            }
            // As many outputs as the buffered input allows, without re-checking the input state per sample.
            var rows = fir.Rows;
            var buffer = _window.Buffer;
            long bufferStart = _window.Start, bufferEnd = _window.End, inputRead = _window.InputRead;
            bool inputEnded = _window.InputEnded;
            while (produced < interleaved.Length)
            {
                start = _period * fir.Q + fir.Offsets[_phase];
                if (start + width > bufferEnd || (inputEnded && start >= inputRead)) break;
                interleaved[produced++] = Dot(
                    new ReadOnlySpan<float>(rows, _phase * width, width),
                    new ReadOnlySpan<float>(buffer, (int)(start - bufferStart), width));
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

    public void Dispose()
    {
        if (!_leaveOpen) _input.Dispose();
    }
}
