namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// The Layer III bit reservoir (ISO/IEC 11172-3 2.4.3.4.1): a frame's main data may begin up to 511 bytes back, in
/// the main data of earlier frames. Each frame's main data is appended here; the frame then reads from
/// <c>Length − own length − main_data_begin</c>. Only what a later frame can still point back to is kept, so the
/// buffer never grows; 8 zero bytes follow the data so the bit reader may look ahead past the end.
/// </summary>
internal sealed class Mp3BitReservoir
{
    /// <summary>The furthest back a frame can point (main_data_begin is 9 bits).</summary>
    public const int MaxLookBack = 511;

    private readonly byte[] _bytes;

    public Mp3BitReservoir(int maxFrameBytes) => _bytes = new byte[maxFrameBytes + 1024];

    public byte[] Bytes => _bytes;

    /// <summary>Bytes held, ending with the last frame's main data.</summary>
    public int Length { get; private set; }

    /// <summary>
    /// Appends one frame's main data and returns where it starts; a <paramref name="mainDataBegin"/> beyond what
    /// earlier frames left (after a resync, or at the start of a cut stream) gives -1: the frame's data is missing.
    /// </summary>
    public int Append(ReadOnlySpan<byte> mainData, int mainDataBegin)
    {
        int available = Length;
        if (available + mainData.Length > _bytes.Length - 8)
        {
            int keep = Math.Min(available, MaxLookBack);
            Buffer.BlockCopy(_bytes, available - keep, _bytes, 0, keep);
            available = keep;
        }
        mainData.CopyTo(_bytes.AsSpan(available));
        Length = available + mainData.Length;
        Array.Clear(_bytes, Length, Math.Min(8, _bytes.Length - Length));
        return mainDataBegin > available ? -1 : available - mainDataBegin;
    }
}
