namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// The synthesis filterbank of one channel (ISO/IEC 14496-3 4.6.11): IMDCT of the 1024 long or 8 x 128 short lines,
/// windowing with the window shapes of this and the previous frame, and overlap-add with what the previous frame left.
/// Transitions are treated as ffmpeg's decoder treats them: long-to-long overlaps over the full long window, every
/// other pair (a short block on either side of the boundary) over the 128-line short slope in the middle, so a
/// non-conforming sequence (long after short without a stop window) decodes exactly as there.
/// </summary>
internal sealed class AacFilterbank
{
    private readonly float[] _saved = new float[512];
    private readonly float[] _buf = new float[1024];
    private readonly float[] _temp = new float[128];
    // The transforms hold scratch buffers, so each channel owns its own (their tables are small).
    private readonly AacImdct _long = new(1024);
    private readonly AacImdct _short = new(128);

    /// <summary>Turns this frame's spectrum into 1024 output samples.</summary>
    public void Synthesize(float[] spectrum, AacIcsInfo ics, Span<float> output)
    {
        var buf = _buf;
        var saved = _saved;
        int seq = ics.WindowSequence, prev = ics.PreviousWindowSequence;
        var shortWindow = AacWindows.Short(ics.KbdWindow);
        var longPrevious = AacWindows.Long(ics.PreviousKbdWindow);
        var shortPrevious = AacWindows.Short(ics.PreviousKbdWindow);

        if (seq == AacWindowSequence.EightShort)
            for (int w = 0; w < 8; w++) _short.TransformHalf(spectrum.AsSpan(w * 128, 128), buf.AsSpan(w * 128, 128));
        else
            _long.TransformHalf(spectrum, buf);

        bool previousEndsLong = prev is AacWindowSequence.OnlyLong or AacWindowSequence.LongStop;
        bool currentStartsLong = seq is AacWindowSequence.OnlyLong or AacWindowSequence.LongStart;
        if (previousEndsLong && currentStartsLong)
        {
            OverlapWindow(output, saved, buf, longPrevious, 512);
        }
        else
        {
            saved.AsSpan(0, 448).CopyTo(output);
            if (seq == AacWindowSequence.EightShort)
            {
                OverlapWindow(output[448..], saved.AsSpan(448), buf, shortPrevious, 64);
                OverlapWindow(output[(448 + 128)..], buf.AsSpan(64), buf.AsSpan(128), shortWindow, 64);
                OverlapWindow(output[(448 + 256)..], buf.AsSpan(128 + 64), buf.AsSpan(256), shortWindow, 64);
                OverlapWindow(output[(448 + 384)..], buf.AsSpan(256 + 64), buf.AsSpan(384), shortWindow, 64);
                OverlapWindow(_temp, buf.AsSpan(384 + 64), buf.AsSpan(512), shortWindow, 64);
                _temp.AsSpan(0, 64).CopyTo(output[(448 + 512)..]);
            }
            else
            {
                OverlapWindow(output[448..], saved.AsSpan(448), buf, shortPrevious, 64);
                buf.AsSpan(64, 448).CopyTo(output[576..]);
            }
        }

        // What this frame leaves for the next one.
        if (seq == AacWindowSequence.EightShort)
        {
            _temp.AsSpan(64, 64).CopyTo(saved);
            OverlapWindow(saved.AsSpan(64), buf.AsSpan(512 + 64), buf.AsSpan(640), shortWindow, 64);
            OverlapWindow(saved.AsSpan(192), buf.AsSpan(640 + 64), buf.AsSpan(768), shortWindow, 64);
            OverlapWindow(saved.AsSpan(320), buf.AsSpan(768 + 64), buf.AsSpan(896), shortWindow, 64);
            buf.AsSpan(896 + 64, 64).CopyTo(saved.AsSpan(448));
        }
        else if (seq == AacWindowSequence.LongStart)
        {
            buf.AsSpan(512, 448).CopyTo(saved);
            buf.AsSpan(896 + 64, 64).CopyTo(saved.AsSpan(448));
        }
        else
        {
            buf.AsSpan(512, 512).CopyTo(saved);
        }
    }

    /// <summary>
    /// 2 * len samples of overlap-add across one window slope: the falling half of the previous block, held as
    /// <paramref name="previous"/> (len samples, the rest by symmetry), and the rising half of the current one, held
    /// as <paramref name="current"/> (len samples, read backwards), weighted by the 2 * len taps of <paramref name="window"/>.
    /// </summary>
    private static void OverlapWindow(Span<float> dst, ReadOnlySpan<float> previous, ReadOnlySpan<float> current, float[] window, int len)
    {
        int last = 2 * len - 1;
        for (int i = 0; i < len; i++)
        {
            float s0 = previous[i], s1 = current[len - 1 - i];
            float wi = window[i], wj = window[last - i];
            dst[i] = s0 * wj - s1 * wi;
            dst[last - i] = s0 * wi + s1 * wj;
        }
    }
}
