using System.Runtime.CompilerServices;

namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// MSB-first bit reader over a byte range. Reads past the end of the range yield zero bits instead of
/// throwing, so a corrupt length field (part2_3_length, big_values) can never index outside the buffer;
/// callers bound their loops by <see cref="Position"/> where the format says so.
/// </summary>
internal sealed class Mp3BitReader
{
    private byte[] _data = Array.Empty<byte>();
    private int _endByte;

    /// <summary>Current position in bits from the start of the array.</summary>
    public int Position;

    public void Reset(byte[] data, int startByte, int endByte)
    {
        _data = data;
        _endByte = Math.Min(endByte, data.Length);
        Position = startByte * 8;
    }

    public int EndBit => _endByte * 8;

    /// <summary>The next 32 bits, left-aligned, without consuming them (zeros past the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Peek32()
    {
        int i = Position >> 3;
        ulong w;
        if (i + 5 <= _endByte)
        {
            var d = _data;
            w = ((ulong)d[i] << 32) | ((ulong)d[i + 1] << 24) | ((ulong)d[i + 2] << 16) | ((ulong)d[i + 3] << 8) | d[i + 4];
        }
        else
        {
            w = 0;
            for (int k = 0; k < 5; k++) w = (w << 8) | (i + k < _endByte && i + k >= 0 ? _data[i + k] : 0u);
        }
        return (uint)(w >> (8 - (Position & 7)));
    }

    /// <summary>Reads n bits (0..32) as an unsigned value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadBits(int n)
    {
        if (n == 0) return 0;
        uint v = Peek32() >> (32 - n);
        Position += n;
        return (int)v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadBit() => ReadBits(1);
}
