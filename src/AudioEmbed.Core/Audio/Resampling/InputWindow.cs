namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// A streaming resampler's view of its mono input: samples [Start, End) of the zero-padded input held in Buffer,
/// refilled a block at a time. Before a refill, what no later output reads (below the caller's keep-from index) is
/// dropped when room is short; when the input ends, trailing zeros are appended once, enough for every window that
/// starts on or before the last sample. Memory stays a few blocks whatever the file's length.
/// </summary>
internal sealed class InputWindow
{
    public const int ReadBlock = 16384;

    private readonly IAudioSource _input;
    private readonly int _tail;

    /// <param name="capacity">Initial buffer length (grown when a window is wider).</param>
    /// <param name="start">Index of Buffer[0] in the caller's input coordinates (negative for leading zeros).</param>
    /// <param name="leadingZeros">Zeros already in place at the start of the buffer.</param>
    /// <param name="tail">Trailing zeros appended when the input ends (the filter's width).</param>
    public InputWindow(IAudioSource input, int capacity, long start, int leadingZeros, int tail)
    {
        _input = input;
        _tail = tail;
        Buffer = new float[Math.Max(capacity, leadingZeros + ReadBlock + tail)];
        Start = start;
        Count = leadingZeros;
    }

    public float[] Buffer { get; private set; }
    /// <summary>Input index of Buffer[0].</summary>
    public long Start { get; private set; }
    /// <summary>Samples held, leading and trailing zeros included.</summary>
    public int Count { get; private set; }
    public long End => Start + Count;
    /// <summary>Real input samples read so far.</summary>
    public long InputRead { get; private set; }
    public bool InputEnded { get; private set; }

    /// <summary>Reads one more block; false when the input had ended instead (the trailing zeros are then in place).</summary>
    public bool ReadMore(long keepFrom)
    {
        if (InputEnded) throw new InvalidOperationException("Resampling stage ran past its trailing zeros.");
        int drop = (int)Math.Clamp(keepFrom - Start, 0, Count);
        var buffer = Buffer;
        if (drop > 0 && buffer.Length - Count < ReadBlock + _tail)
        {
            Array.Copy(buffer, drop, buffer, 0, Count - drop);
            Count -= drop;
            Start += drop;
        }
        if (buffer.Length - Count < ReadBlock + _tail)
        {
            Array.Resize(ref buffer, Math.Max(2 * buffer.Length, Count + ReadBlock + _tail));
            Buffer = buffer;
        }
        int frames = _input.Read(buffer.AsSpan(Count, ReadBlock));
        if (frames > 0)
        {
            Count += frames;
            InputRead += frames;
            return true;
        }
        InputEnded = true;
        buffer.AsSpan(Count, _tail).Clear();
        Count += _tail;
        return false;
    }
}
