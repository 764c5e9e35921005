using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AudioEmbed.Core.Checkpoints.Torch;

/// <summary>
/// The member index of a zip file (as torch.save writes it: stored members, ZIP64 when large),
/// read from the central directory with every offset checked against the file. A member's bytes
/// are located through its local header so they can be read in place, by range, later.
/// </summary>
internal sealed class ZipDirectory
{
    private const uint EndOfCentralDirSig = 0x06054b50, Zip64LocatorSig = 0x07064b50, Zip64EndSig = 0x06064b50;
    private const uint CentralEntrySig = 0x02014b50, LocalHeaderSig = 0x04034b50;
    private const long MaxCentralDirectoryBytes = 64L * 1024 * 1024;

    private readonly Dictionary<string, ZipMember> _members;

    private ZipDirectory(string path, Dictionary<string, ZipMember> members)
    {
        FilePath = path;
        _members = members;
    }

    public string FilePath { get; }

    public IEnumerable<string> Names => _members.Keys;

    public ZipMember? Find(string name) => _members.TryGetValue(name, out var m) ? m : null;

    public static ZipDirectory Read(string path, SafeFileHandle handle)
    {
        long length = RandomAccess.GetLength(handle);
        if (length < 22) throw new CheckpointException(path, "too short for a zip archive");

        // The end-of-central-directory record is in the last 22 + 65535 bytes (it may carry a comment).
        int tailLength = (int)Math.Min(length, 22 + 65535);
        var tail = new byte[tailLength];
        ReadAt(path, handle, tail, length - tailLength);
        int eocd = -1;
        for (int i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndOfCentralDirSig
                && i + 22 + BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 20)) <= tailLength)
            {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) throw new CheckpointException(path, "no zip end-of-central-directory record (truncated or not a zip archive)");
        long eocdPosition = length - tailLength + eocd;
        var e = tail.AsSpan(eocd);
        long entryCount = BinaryPrimitives.ReadUInt16LittleEndian(e[10..]);
        long cdSize = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
        long cdOffset = BinaryPrimitives.ReadUInt32LittleEndian(e[16..]);
        long cdLimit = eocdPosition;

        if (entryCount == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF)
        {
            if (eocdPosition < 20) throw new CheckpointException(path, "ZIP64 locator missing");
            var locator = new byte[20];
            ReadAt(path, handle, locator, eocdPosition - 20);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSig) throw new CheckpointException(path, "ZIP64 locator missing");
            ulong z64Position = BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
            if (z64Position > (ulong)(eocdPosition - 20 - 56)) throw new CheckpointException(path, "ZIP64 end record offset outside the file");
            var z = new byte[56];
            ReadAt(path, handle, z, (long)z64Position);
            if (BinaryPrimitives.ReadUInt32LittleEndian(z) != Zip64EndSig) throw new CheckpointException(path, "ZIP64 end record signature missing");
            entryCount = CheckedLong(path, BinaryPrimitives.ReadUInt64LittleEndian(z.AsSpan(32)), "ZIP64 entry count");
            cdSize = CheckedLong(path, BinaryPrimitives.ReadUInt64LittleEndian(z.AsSpan(40)), "ZIP64 directory size");
            cdOffset = CheckedLong(path, BinaryPrimitives.ReadUInt64LittleEndian(z.AsSpan(48)), "ZIP64 directory offset");
            cdLimit = (long)z64Position;
        }
        if (cdOffset > cdLimit || cdSize > cdLimit - cdOffset)
            throw new CheckpointException(path, $"central directory [{cdOffset}, +{cdSize}) lies outside the archive (truncated?)");
        if (cdSize > MaxCentralDirectoryBytes) throw new CheckpointException(path, $"central directory of {cdSize} bytes exceeds the limit");
        if (entryCount > cdSize / 46) throw new CheckpointException(path, $"{entryCount} entries cannot fit in a {cdSize}-byte central directory");

        var cd = new byte[cdSize];
        ReadAt(path, handle, cd, cdOffset);
        var members = new Dictionary<string, ZipMember>(StringComparer.Ordinal);
        int pos = 0;
        for (long n = 0; n < entryCount; n++)
        {
            var member = ParseCentralEntry(path, handle, cd, ref pos, cdOffset);
            if (!members.TryAdd(member.Name, member)) throw new CheckpointException(path, "the archive holds this member twice", member.Name);
        }
        return new ZipDirectory(path, members);
    }

    private static ZipMember ParseCentralEntry(string path, SafeFileHandle handle, byte[] cd, ref int pos, long dataLimit)
    {
        if (pos + 46 > cd.Length || BinaryPrimitives.ReadUInt32LittleEndian(cd.AsSpan(pos)) != CentralEntrySig)
            throw new CheckpointException(path, "corrupt central directory entry");
        var h = cd.AsSpan(pos);
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
        ushort method = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(h[16..]);
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(h[20..]);
        long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(h[24..]);
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(h[30..]);
        int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(h[32..]);
        long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(h[42..]);
        if (pos + 46 + nameLength + extraLength + commentLength > cd.Length) throw new CheckpointException(path, "corrupt central directory entry (lengths)");
        string name;
        try { name = new UTF8Encoding(false, true).GetString(cd, pos + 46, nameLength); }
        catch (DecoderFallbackException) { throw new CheckpointException(path, "a member name is not UTF-8"); }

        // ZIP64 extended information: the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
        var extra = cd.AsSpan(pos + 46 + nameLength, extraLength);
        while (extra.Length >= 4)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (4 + size > extra.Length) throw new CheckpointException(path, "corrupt extra field", name);
            if (id == 0x0001)
            {
                ReadOnlySpan<byte> z = extra.Slice(4, size);
                if (uncompressed == 0xFFFFFFFF) uncompressed = Take64(path, name, ref z);
                if (compressed == 0xFFFFFFFF) compressed = Take64(path, name, ref z);
                if (localOffset == 0xFFFFFFFF) localOffset = Take64(path, name, ref z);
            }
            extra = extra[(4 + size)..];
        }
        pos += 46 + nameLength + extraLength + commentLength;

        if ((flags & 1) != 0) throw new CheckpointException(path, "encrypted zip members are not supported", name);
        if (method != 0 && method != 8) throw new CheckpointException(path, $"zip compression method {method} is not supported (stored or deflate are)", name);
        if (method == 0 && compressed != uncompressed) throw new CheckpointException(path, $"stored member sizes differ ({compressed} vs {uncompressed})", name);
        // Deflate cannot expand more than ~1032:1, so a larger claim is a lie that would size allocations.
        if (method == 8 && uncompressed / 1032 > compressed + 1)
            throw new CheckpointException(path, $"deflated member claims {uncompressed} bytes from {compressed}, more than deflate can produce", name);

        if (localOffset > dataLimit - 30) throw new CheckpointException(path, "local header offset outside the archive", name);
        var local = new byte[30];
        ReadAt(path, handle, local, localOffset);
        if (BinaryPrimitives.ReadUInt32LittleEndian(local) != LocalHeaderSig) throw new CheckpointException(path, "local header signature missing", name);
        long dataOffset = localOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(local.AsSpan(26)) + BinaryPrimitives.ReadUInt16LittleEndian(local.AsSpan(28));
        if (dataOffset > dataLimit || compressed > dataLimit - dataOffset)
            throw new CheckpointException(path, $"member data [{dataOffset}, +{compressed}) runs past the archive data (truncated?)", name);
        return new ZipMember(name, method, crc, dataOffset, compressed, uncompressed);
    }

    /// <summary>All bytes of a (small) member, CRC-checked.</summary>
    public byte[] ReadAll(ZipMember member, long maxBytes)
    {
        if (member.UncompressedSize > maxBytes)
            throw new CheckpointException(FilePath, $"{member.UncompressedSize} bytes exceeds the {maxBytes}-byte limit for this record", member.Name);
        var bytes = new byte[member.UncompressedSize];
        try { member.Open(FilePath).Read(0, bytes); }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            throw new CheckpointException(FilePath, "cannot read the record: " + ex.Message, member.Name, ex);
        }
        if (Crc32.Compute(bytes) != member.Crc)
            throw new CheckpointException(FilePath, "CRC-32 mismatch: the record is corrupt", member.Name);
        return bytes;
    }

    private static long Take64(string path, string name, ref ReadOnlySpan<byte> z)
    {
        if (z.Length < 8) throw new CheckpointException(path, "short ZIP64 extra field", name);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(z);
        z = z[8..];
        return CheckedLong(path, v, "ZIP64 field");
    }

    private static long CheckedLong(string path, ulong value, string what) =>
        value > long.MaxValue ? throw new CheckpointException(path, $"{what} {value} is out of range") : (long)value;

    private static void ReadAt(string path, SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int n = RandomAccess.Read(handle, buffer, offset);
            if (n <= 0) throw new CheckpointException(path, "the archive ended early (truncated?)");
            buffer = buffer[n..];
            offset += n;
        }
    }
}

/// <summary>One zip member: where its (possibly deflated) bytes are in the file.</summary>
internal sealed record ZipMember(string Name, ushort Method, uint Crc, long DataOffset, long CompressedSize, long UncompressedSize)
{
    /// <summary>A byte source for the member's uncompressed content.</summary>
    public TensorBytes Open(string filePath) => Method == 0
        ? new FileRangeBytes(filePath, Name, DataOffset, UncompressedSize)
        : new DeflatedMemberBytes(filePath, this);
}

/// <summary>
/// A deflated member (torch never compresses, other zip tools may): inflated on each read, which
/// is slow for repeated reads but keeps memory bounded by what the caller asked for.
/// </summary>
internal sealed class DeflatedMemberBytes : TensorBytes
{
    private readonly ZipMember _member;

    public DeflatedMemberBytes(string filePath, ZipMember member) : base(filePath, member.Name, member.UncompressedSize)
        => _member = member;

    public override void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new CheckpointException(FilePath, $"read of {destination.Length} bytes at {offset} is outside the {Length}-byte member", Id);
        using var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        file.Position = _member.DataOffset;
        using var inflater = new DeflateStream(new BoundedStream(file, _member.CompressedSize), CompressionMode.Decompress);
        var skip = new byte[Math.Min(offset, 1 << 16)];
        long toSkip = offset;
        while (toSkip > 0)
        {
            int n = inflater.Read(skip, 0, (int)Math.Min(toSkip, skip.Length));
            if (n <= 0) throw new CheckpointException(FilePath, "deflated member ended early", Id);
            toSkip -= n;
        }
        while (!destination.IsEmpty)
        {
            int n = inflater.Read(destination);
            if (n <= 0) throw new CheckpointException(FilePath, "deflated member ended early", Id);
            destination = destination[n..];
        }
    }

    /// <summary>Limits the inflater to the member's compressed bytes.</summary>
    private sealed class BoundedStream(Stream inner, long remaining) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (remaining <= 0) return 0;
            int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
            remaining -= n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
