using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// MSB-first bit reader over one access unit. The bytes are copied into a buffer with zero padding so the common
/// peek is one unaligned 64-bit load; reads past the end yield zero bits instead of throwing, and the element
/// parsers check <see cref="Overrun"/> at every point where a lying length could otherwise run on.
/// </summary>
internal sealed class AacBitReader
{
    private const int Padding = 16;
    private byte[] _data = new byte[Padding];
    private int _length;

    /// <summary>Current position in bits from the start of the access unit.</summary>
    public int Position;

    public int BitLength => _length * 8;

    public int BitsLeft => BitLength - Position;

    /// <summary>True once more bits were consumed than the access unit holds (the data was cut or lied about).</summary>
    public bool Overrun => Position > BitLength;

    public void Reset(ReadOnlySpan<byte> bytes)
    {
        if (_data.Length < bytes.Length + Padding) _data = new byte[bytes.Length + Padding + 256];
        bytes.CopyTo(_data);
        Array.Clear(_data, bytes.Length, Padding);
        _length = bytes.Length;
        Position = 0;
    }

    /// <summary>The next 32 bits, left-aligned, without consuming them (zeros past the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Peek32()
    {
        int i = Position >> 3;
        if ((uint)i <= (uint)_length)
        {
            // i + 8 <= _length + Padding <= _data.Length: the unchecked load stays inside the array.
            ulong w = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data), i));
            if (BitConverter.IsLittleEndian) w = BinaryPrimitives.ReverseEndianness(w);
            return (uint)((w << (Position & 7)) >> 32);
        }
        return 0;
    }

    /// <summary>Reads n bits (0..25) as an unsigned value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Read(int n)
    {
        if (n == 0) return 0;
        uint v = Peek32() >> (32 - n);
        Position += n;
        return (int)v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadBit() => Read(1) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int n) => Position += n;

    /// <summary>Skips n bits where n can be large (extension payloads); stops just past the end.</summary>
    public void SkipLong(long n) => Position = (int)Math.Min(Position + n, (long)BitLength + 1);

    public void ByteAlign() => Position = (Position + 7) & ~7;
}
