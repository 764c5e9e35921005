using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// Reads a FLAC stream MSB-first, bit by bit, from a refillable 64 KiB window over the source stream,
/// so memory stays constant whatever the file or frame size. Unread bits sit left-aligned in a 64-bit
/// cache (bits below the valid ones are always zero, which keeps the refill a plain OR).
/// It also keeps the running CRC-16 of the current frame: bytes are folded into the CRC before the
/// window slides past them, so a frame of any length is checked without being held whole.
/// </summary>
internal sealed class FlacBitReader
{
    private const int WindowSize = 1 << 16;

    private readonly Stream _stream;
    private readonly byte[] _buf = new byte[WindowSize];
    private int _pos;          // next window byte to move into the cache
    private int _end;          // valid bytes in the window
    private long _windowOffset; // stream offset of _buf[0]
    private bool _eof;

    private ulong _cache;
    private int _bits;

    private bool _crcOn;
    private int _crcFrom;      // window index from which bytes are not yet in _crc16
    private ushort _crc16;

    public FlacBitReader(Stream stream, string name, long startOffset)
    {
        _stream = stream;
        Name = name;
        _windowOffset = startOffset;
    }

    /// <summary>The file name used in error messages.</summary>
    public string Name { get; }

    /// <summary>Stream offset of the byte holding the next unread bit.</summary>
    public long ByteOffset => _windowOffset + FirstUnconsumedIndex;

    public bool IsByteAligned => (_bits & 7) == 0;

    /// <summary>Window index of the first byte not yet fully consumed by the decoder.</summary>
    private int FirstUnconsumedIndex => _pos - ((_bits + 7) >> 3);

    public AudioDecodeException Fail(string problem) => new(Name, problem, ByteOffset);

    public AudioDecodeException Fail(string problem, long offset) => new(Name, problem, offset);

    /// <summary>Reads <paramref name="n"/> (0..32) bits as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadBits(int n)
    {
        if (n == 0) return 0;
        if (_bits < n) Refill(n);
        uint v = (uint)(_cache >> (64 - n));
        _cache <<= n;
        _bits -= n;
        return v;
    }

    /// <summary>Reads <paramref name="n"/> (1..33) bits as a two's complement number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadSigned(int n)
    {
        if (_bits < n) Refill(n);
        long v = (long)_cache >> (64 - n);
        _cache <<= n;
        _bits -= n;
        return v;
    }

    public ulong ReadBits64(int n) => n <= 32 ? ReadBits(n) : ((ulong)ReadBits(n - 32) << 32) | ReadBits(32);

    /// <summary>Counts zero bits up to and including the next one bit; fails past <paramref name="limit"/> zeros.</summary>
    public uint ReadUnary(uint limit)
    {
        uint count = 0;
        while (true)
        {
            if (_bits == 0) Refill(1);
            int lz = BitOperations.LeadingZeroCount(_cache);
            if (lz < _bits)
            {
                count += (uint)lz;
                _cache = (_cache << lz) << 1;
                _bits -= lz + 1;
                if (count > limit) throw Fail($"unary value {count} exceeds {limit}");
                return count;
            }
            count += (uint)_bits;
            _cache = 0;
            _bits = 0;
            if (count > limit) throw Fail($"unary value exceeds {limit}");
        }
    }

    /// <summary>
    /// Decodes <c>dest.Length</c> Rice-coded residuals with parameter <paramref name="k"/> (0..30): a unary
    /// quotient, k low bits, then zigzag unfolding. This is the decoder's hot loop, so the cache and window
    /// position live in locals and the common case (refill from a full window, whole code inside the cache)
    /// never calls out; anything else falls back to the general readers.
    /// </summary>
    public unsafe void ReadRice(Span<long> dest, int k)
    {
        ulong cache = _cache;
        int bits = _bits;
        int pos = _pos;
        fixed (byte* window = _buf)
        fixed (long* first = dest)
        {
            long* d = first, stop = first + dest.Length;
            while (d < stop)
            {
                if (bits < 32)
                {
                    if (_end - pos >= 8)
                    {
                        ulong v = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(window + pos));
                        int take = (64 - bits) >> 3;
                        int newBits = bits + (take << 3);
                        int low = 64 - newBits;
                        cache |= ((v >> bits) >> low) << low;
                        bits = newBits;
                        pos += take;
                    }
                    else
                    {
                        _cache = cache; _bits = bits; _pos = pos;
                        FillCache();
                        cache = _cache; bits = _bits; pos = _pos;
                    }
                }
                int lz = BitOperations.LeadingZeroCount(cache);
                ulong folded;
                if (lz + 1 + k <= bits)
                {
                    cache = (cache << lz) << 1;
                    ulong lowBits = (cache >> 1) >> (63 - k);
                    cache <<= k;
                    bits -= lz + 1 + k;
                    folded = ((ulong)lz << k) | lowBits;
                }
                else
                {
                    _cache = cache; _bits = bits; _pos = pos;
                    uint q = ReadUnary(uint.MaxValue >> k);
                    folded = ((ulong)q << k) | ReadBits(k);
                    cache = _cache; bits = _bits; pos = _pos;
                }
                if (folded > uint.MaxValue)
                {
                    _cache = cache; _bits = bits; _pos = pos;
                    throw Fail("Rice-coded residual does not fit in 32 bits");
                }
                *d++ = (long)(folded >> 1) ^ -(long)(folded & 1);
            }
        }
        _cache = cache;
        _bits = bits;
        _pos = pos;
    }

    public void AlignToByte()
    {
        int drop = _bits & 7;
        _cache <<= drop;
        _bits -= drop;
    }

    public void ReadBytes(Span<byte> dest)
    {
        for (int i = 0; i < dest.Length; i++) dest[i] = (byte)ReadBits(8);
    }

    /// <summary>
    /// Makes up to <paramref name="wantBits"/> (at most 56) bits visible without consuming them and returns how many
    /// are visible (fewer only at the end of the stream); read them from <see cref="PeekCache"/>.
    /// </summary>
    public int Peek(int wantBits)
    {
        while (true)
        {
            FillCache();
            if (_bits >= wantBits) return wantBits;
            if (!FillWindow()) return _bits;
        }
    }

    public ulong PeekCache => _cache;

    /// <summary>Skips whole bytes (reader must be byte aligned); seeks when the stream can.</summary>
    public void SkipBytes(long count)
    {
        while (count > 0 && _bits >= 8) { ReadBits(8); count--; }
        long inWindow = Math.Min(count, _end - _pos);
        _pos += (int)inWindow;
        count -= inWindow;
        if (count == 0) return;
        if (_stream.CanSeek)
        {
            long target = _windowOffset + _end + count;
            if (target > _stream.Length) throw new FlacEndOfDataException(_stream.Length);
            _stream.Seek(target, SeekOrigin.Begin);
            _windowOffset = target;
            _pos = _end = 0;
            return;
        }
        while (count > 0)
        {
            if (_pos == _end && !FillWindow()) throw new FlacEndOfDataException(ByteOffset);
            int take = (int)Math.Min(count, _end - _pos);
            _pos += take;
            count -= take;
        }
    }

    /// <summary>Starts the CRC-16 of a frame at the current (byte-aligned) position.</summary>
    public void BeginFrameCrc()
    {
        _crcFrom = FirstUnconsumedIndex;
        _crc16 = 0;
        _crcOn = true;
    }

    /// <summary>CRC-16 of everything consumed since <see cref="BeginFrameCrc"/> (reader must be byte aligned).</summary>
    public ushort EndFrameCrc()
    {
        int upTo = FirstUnconsumedIndex;
        _crc16 = FlacCrc.Crc16(_crc16, _buf.AsSpan(_crcFrom, upTo - _crcFrom));
        _crcOn = false;
        return _crc16;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Refill(int need)
    {
        while (true)
        {
            FillCache();
            if (_bits >= need) return;
            if (!FillWindow()) throw new FlacEndOfDataException(_windowOffset + _end);
        }
    }

    /// <summary>Moves window bytes into the cache until it holds more than 56 bits or the window is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FillCache()
    {
        if (_end - _pos >= 8)
        {
            if (_bits > 56) return;
            ulong v = BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(_buf, _pos, 8));
            int take = (64 - _bits) >> 3;
            int newBits = _bits + (take << 3);
            int low = 64 - newBits; // 0..7 bits of v that belong to the next, not yet taken, byte
            _cache |= ((v >> _bits) >> low) << low;
            _bits = newBits;
            _pos += take;
            return;
        }
        while (_bits <= 56 && _pos < _end)
        {
            _cache |= (ulong)_buf[_pos++] << (56 - _bits);
            _bits += 8;
        }
    }

    /// <summary>Slides the window past fully consumed bytes (folding them into the frame CRC first) and reads more.</summary>
    private bool FillWindow()
    {
        if (_eof) return false;
        int from = FirstUnconsumedIndex;
        if (_crcOn)
        {
            _crc16 = FlacCrc.Crc16(_crc16, _buf.AsSpan(_crcFrom, from - _crcFrom));
            _crcFrom = 0;
        }
        int kept = _end - from;
        Buffer.BlockCopy(_buf, from, _buf, 0, kept);
        _windowOffset += from;
        _pos -= from;
        _end = kept;
        int n = _stream.Read(_buf, _end, _buf.Length - _end);
        if (n <= 0)
        {
            _eof = true;
            return false;
        }
        _end += n;
        return true;
    }
}
