using System.Globalization;
using System.Text;

namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>
/// Reads an MP4/M4A (ISO base media / QuickTime) file's moov box, without touching the media data: the sound track
/// to decode (the first enabled track whose handler is 'soun', else the first 'soun' track: the same one ffmpeg's
/// "first audio stream" is in every file we know of), its codec configuration, sample table, edit list and the iTunes
/// iTunSMPB gapless note. Boxes it does not need (cover art, video tracks, free space) are skipped unread.
/// Fragmented files (moof) are refused with a message: ffmpeg reads them.
/// </summary>
internal sealed class Mp4File
{
    private const int TableLimit = 256 << 20;   // one sample-table box; also bounded by the file itself
    private const int SmallLimit = 1 << 20;     // headers, descriptions, tags

    private readonly Mp4BoxReader _r;

    private Mp4File(Mp4BoxReader reader) => _r = reader;

    public Mp4AudioTrack Track { get; private init; } = null!;

    /// <summary>Encoder priming from iTunSMPB (frames), when the file has the tag.</summary>
    public int? ITunesPriming { get; init; }

    /// <summary>
    /// Decoded frames to drop at the start, as ffmpeg (5.1) drops them: the first edit's media time, else iTunSMPB's
    /// priming. Like ffmpeg, the end is not cut to the edit's duration: the last AAC frame's padding is kept (a few
    /// hundred frames of near-silence), so the managed and ffmpeg paths give the same samples.
    /// </summary>
    /// <param name="decodedRate">The codec's rate (the AAC AudioSpecificConfig's, the ALAC cookie's); by default the
    /// sample entry's, or the media timescale when the sample entry cannot hold the rate (ffmpeg writes 0 above 65535 Hz).</param>
    public long Skip(int? decodedRate = null)
    {
        var t = Track;
        if (t.Edit is { } edit) return (long)Math.Round(Math.Max(0, edit.MediaTime) * (double)Rate(decodedRate) / t.MediaTimescale);
        return ITunesPriming ?? 0;
    }

    /// <summary>The track's length by its edit (movie timescale) converted to frames; null without an edit list or when it says "to the end".</summary>
    public long? EditFrames(int? decodedRate = null)
    {
        var t = Track;
        if (t.Edit is not { Duration: > 0 } edit || t.MovieTimescale == 0) return null;
        return (long)Math.Round(edit.Duration * (double)Rate(decodedRate) / t.MovieTimescale);
    }

    private int Rate(int? decodedRate) => decodedRate ?? (Track.SampleRate > 0 ? Track.SampleRate : (int)Math.Min(int.MaxValue, Track.MediaTimescale));

    public static Mp4File Read(Stream stream, string name)
    {
        var r = new Mp4BoxReader(stream, name);
        Mp4Box? moov = null;
        bool fragmented = false;
        foreach (var box in r.Children(0, r.Length))
        {
            if (box.Is("moov")) moov ??= box;
            else if (box.Is("moof")) fragmented = true;
            if (moov is not null && fragmented) break;
        }
        if (moov is not { } m) throw r.Fail("the MP4 file has no 'moov' box (no track descriptions): it is incomplete or damaged");
        if (fragmented || r.Child(m, "mvex") is not null)
            throw r.Fail("the MP4 file is fragmented (moof boxes); the managed demuxer reads unfragmented files: use -Decoder Auto or FFmpeg");
        return new Mp4File(r).Parse(m);
    }

    private Mp4File Parse(Mp4Box moov)
    {
        uint movieTimescale = 0;
        if (_r.Child(moov, "mvhd") is { } mvhd)
        {
            var b = Bytes(mvhd, SmallLimit);
            int version = b.U8();
            b.Skip(3 + (version == 1 ? 16 : 8));
            movieTimescale = b.U32();
        }
        Mp4Box? chosen = null;
        Mp4Box? firstSound = null;
        int soundTracks = 0;
        foreach (var trak in _r.Children(moov))
        {
            if (!trak.Is("trak")) continue;
            var mdia = _r.Child(trak, "mdia");
            if (mdia is null || _r.Child(mdia.Value, "hdlr") is not { } hdlr) continue;
            var h = Bytes(hdlr, SmallLimit);
            h.Skip(8);
            if (h.U32() != Mp4Box.FourCC("soun")) continue;
            soundTracks++;
            firstSound ??= trak;
            if (chosen is null && _r.Child(trak, "tkhd") is { } tkhd && (Bytes(tkhd, SmallLimit).U32() & 1) != 0) chosen = trak;
        }
        var track = chosen ?? firstSound ?? throw _r.Fail($"the MP4 file has no sound track");
        return new Mp4File(_r) { Track = ParseTrack(track, movieTimescale), ITunesPriming = ITunSmpbPriming(moov) };
    }

    private Mp4AudioTrack ParseTrack(Mp4Box trak, uint movieTimescale)
    {
        int trackId = 0;
        if (_r.Child(trak, "tkhd") is { } tkhd)
        {
            var b = Bytes(tkhd, SmallLimit);
            int version = b.U8();
            b.Skip(3 + (version == 1 ? 16 : 8));
            trackId = (int)Math.Min(int.MaxValue, b.U32());
        }
        var mdia = _r.Child(trak, "mdia")!.Value;
        var mdhd = _r.Child(mdia, "mdhd") ?? throw _r.Fail("the sound track has no 'mdhd' box (media header)", mdia.HeaderStart);
        var m = Bytes(mdhd, SmallLimit);
        int mdhdVersion = m.U8();
        m.Skip(3 + (mdhdVersion == 1 ? 16 : 8));
        uint timescale = m.U32();
        if (timescale == 0) throw m.Fail("the media timescale is 0");

        var stbl = Path(mdia, "minf", "stbl") ?? throw _r.Fail("the sound track has no sample table ('minf/stbl' box)", mdia.HeaderStart);
        var entry = SampleEntry(stbl);
        return new Mp4AudioTrack
        {
            TrackId = trackId,
            SampleEntry = entry.Format,
            Channels = entry.Channels,
            SampleRate = entry.SampleRate,
            MediaTimescale = timescale,
            MovieTimescale = movieTimescale,
            ObjectType = entry.ObjectType,
            AudioSpecificConfig = entry.Asc,
            AlacCookie = entry.Alac,
            Edit = EditList(trak),
            Samples = SampleTable(stbl),
        };
    }

    private readonly record struct Entry(string Format, int Channels, int SampleRate, byte ObjectType, byte[]? Asc, byte[]? Alac);

    /// <summary>The first sample description: an AudioSampleEntry (v0, or QuickTime v1/v2) and its codec box (esds, alac, possibly inside 'wave').</summary>
    private Entry SampleEntry(Mp4Box stbl)
    {
        var stsd = _r.Child(stbl, "stsd") ?? throw _r.Fail("the sound track has no 'stsd' box (sample description)", stbl.HeaderStart);
        var first = _r.Children(stsd, skip: 8).FirstOrDefault();
        if (first.End == 0) throw _r.Fail("the 'stsd' box describes no sample format", stsd.HeaderStart);
        var b = Bytes(first, SmallLimit);
        b.Skip(8);
        int version = b.U16();
        b.Skip(6);
        int channels = b.U16();
        b.Skip(6);
        int rate = (int)(b.U32() >> 16);
        int fixedLength = 28;
        if (version == 1) fixedLength = 44;
        else if (version == 2)
        {
            b.Skip(4);
            double rate2 = BitConverter.Int64BitsToDouble((long)b.U64());
            channels = (int)Math.Min(int.MaxValue, b.U32());
            rate = double.IsFinite(rate2) && rate2 is > 0 and < int.MaxValue ? (int)rate2 : 0;
            fixedLength = 64;
        }
        string format = first.Name;
        byte objectType = 0;
        byte[]? asc = null, alac = null;
        if (first.PayloadLength >= fixedLength)
        {
            foreach (var child in CodecBoxes(first, fixedLength))
            {
                if (child.Is("esds") && asc is null) (objectType, asc) = Esds(child);
                else if (child.Is("alac") && alac is null && child.PayloadLength >= 28) alac = AlacCookie(child);
            }
        }
        return new Entry(format, channels, rate, objectType, asc, alac);
    }

    /// <summary>The sample entry's child boxes, and those inside a QuickTime 'wave' box.</summary>
    private IEnumerable<Mp4Box> CodecBoxes(Mp4Box entry, int skip)
    {
        foreach (var child in _r.Children(entry, skip))
        {
            if (child.Is("wave"))
                foreach (var inner in _r.Children(child)) yield return inner;
            else yield return child;
        }
    }

    /// <summary>'alac' box: version/flags, then the 24-byte ALACSpecificConfig (and possibly a channel layout after it).</summary>
    private byte[] AlacCookie(Mp4Box box) => _r.ReadPayload(box, SmallLimit, skip: 4);

    /// <summary>ES_Descriptor (tag 3) > DecoderConfigDescriptor (tag 4: objectTypeIndication) > DecoderSpecificInfo (tag 5: AudioSpecificConfig).</summary>
    private (byte ObjectType, byte[]? Asc) Esds(Mp4Box esds)
    {
        var b = Bytes(esds, SmallLimit);
        b.Skip(4);
        if (b.U8() != 3) throw b.Fail("no ES_Descriptor");
        DescriptorLength(b);
        b.Skip(2);
        int flags = b.U8();
        if ((flags & 0x80) != 0) b.Skip(2);
        if ((flags & 0x40) != 0) b.Skip(b.U8());
        if ((flags & 0x20) != 0) b.Skip(2);
        if (b.U8() != 4) throw b.Fail("no DecoderConfigDescriptor");
        int configLength = DescriptorLength(b);
        int configEnd = b.Position + configLength;
        byte objectType = b.U8();
        b.Skip(12);
        byte[]? asc = null;
        if (b.Position < configEnd && b.Remaining > 0 && b.U8() == 5)
        {
            int n = DescriptorLength(b);
            asc = b.Take(n).ToArray();
        }
        return (objectType, asc);
    }

    private static int DescriptorLength(Mp4Bytes b)
    {
        int length = 0;
        for (int i = 0; i < 4; i++)
        {
            int c = b.U8();
            length = length << 7 | (c & 0x7F);
            if ((c & 0x80) == 0) break;
        }
        return length;
    }

    private (long MediaTime, long Duration)? EditList(Mp4Box trak)
    {
        if (Path(trak, "edts", "elst") is not { } elst) return null;
        var b = Bytes(elst, TableLimit);
        int version = b.U8();
        b.Skip(3);
        int count = b.Entries(b.U32(), version == 1 ? 20 : 12);
        for (int i = 0; i < count; i++)
        {
            long duration = version == 1 ? (long)Math.Min(b.U64(), long.MaxValue) : b.U32();
            long mediaTime = version == 1 ? b.I64() : b.I32();
            b.Skip(4);
            if (mediaTime >= 0) return (mediaTime, duration); // the first edit that plays media; empty edits before it are ignored
        }
        return null;
    }

    private Mp4SampleTable SampleTable(Mp4Box stbl)
    {
        uint constant = 0;
        uint[] sizes;
        int count;
        if (_r.Child(stbl, "stsz") is { } stsz)
        {
            var b = Bytes(stsz, TableLimit);
            b.Skip(4);
            constant = b.U32();
            uint stated = b.U32();
            if (constant != 0)
            {
                // One size for all: the count must still be possible in a file this long.
                if (stated > (ulong)_r.Length / Math.Max(1u, constant)) throw b.Fail($"{stated} samples of {constant} bytes cannot fit in the {_r.Length}-byte file");
                count = (int)Math.Min(stated, int.MaxValue);
                sizes = Array.Empty<uint>();
            }
            else
            {
                count = b.Entries(stated, 4);
                sizes = new uint[count];
                for (int i = 0; i < count; i++) sizes[i] = b.U32();
            }
        }
        else if (_r.Child(stbl, "stz2") is { } stz2)
        {
            var b = Bytes(stz2, TableLimit);
            b.Skip(7);
            int field = b.U8();
            if (field is not (4 or 8 or 16)) throw b.Fail($"field size {field} (must be 4, 8 or 16)");
            uint stated = b.U32();
            if (stated > (ulong)b.Remaining * 8 / (uint)field) throw b.Fail($"{stated} entries do not fit in the box");
            count = (int)stated;
            sizes = new uint[count];
            for (int i = 0; i < count; i++)
                sizes[i] = field switch
                {
                    16 => b.U16(),
                    8 => b.U8(),
                    _ => (uint)((i & 1) == 0 ? b.Data[b.Position] >> 4 : b.Data[b.Position++] & 0xF),
                };
        }
        else throw _r.Fail("the sound track has no sample size table ('stsz' or 'stz2' box)", stbl.HeaderStart);

        long[] offsets;
        if (_r.Child(stbl, "stco") is { } stco)
        {
            var b = Bytes(stco, TableLimit);
            b.Skip(4);
            offsets = new long[b.Entries(b.U32(), 4)];
            for (int i = 0; i < offsets.Length; i++) offsets[i] = b.U32();
        }
        else if (_r.Child(stbl, "co64") is { } co64)
        {
            var b = Bytes(co64, TableLimit);
            b.Skip(4);
            offsets = new long[b.Entries(b.U32(), 8)];
            for (int i = 0; i < offsets.Length; i++) offsets[i] = (long)Math.Min(b.U64(), long.MaxValue);
        }
        else throw _r.Fail("the sound track has no chunk offset table ('stco' or 'co64' box)", stbl.HeaderStart);

        var stsc = _r.Child(stbl, "stsc") ?? throw _r.Fail("the sound track has no sample-to-chunk table ('stsc' box)", stbl.HeaderStart);
        var c = Bytes(stsc, TableLimit);
        c.Skip(4);
        var chunks = new (uint, uint)[c.Entries(c.U32(), 12)];
        for (int i = 0; i < chunks.Length; i++)
        {
            uint firstChunk = c.U32(), perChunk = c.U32();
            c.Skip(4);
            if (firstChunk == 0 || (i > 0 && firstChunk <= chunks[i - 1].Item1)) throw c.Fail($"entry {i} starts at chunk {firstChunk}, not after the previous entry's");
            chunks[i] = (firstChunk, perChunk);
        }

        var stts = _r.Child(stbl, "stts") ?? throw _r.Fail("the sound track has no time-to-sample table ('stts' box)", stbl.HeaderStart);
        var t = Bytes(stts, TableLimit);
        t.Skip(4);
        var durations = new (uint, uint)[t.Entries(t.U32(), 8)];
        for (int i = 0; i < durations.Length; i++) durations[i] = (t.U32(), t.U32());

        return new Mp4SampleTable { SampleCount = count, ConstantSize = constant, Sizes = sizes, ChunkOffsets = offsets, Chunks = chunks, Durations = durations };
    }

    /// <summary>iTunes' gapless note: moov/udta/meta/ilst/'----' named "iTunSMPB", text " 00000000 PRIMING PADDING COUNT ...".</summary>
    private int? ITunSmpbPriming(Mp4Box moov)
    {
        if (Path(moov, "udta", "meta") is not { } meta) return null;
        // ISO 'meta' is a full box (4 bytes version/flags before its children); QuickTime's is not.
        var probe = new byte[8];
        if (meta.PayloadLength < 8) return null;
        _r.ReadExactly(meta.PayloadStart, probe);
        int skip = probe[4] == 'h' && probe[5] == 'd' && probe[6] == 'l' && probe[7] == 'r' ? 4 : probe[0] == 0 && probe[1] == 0 && probe[2] == 0 && probe[3] == 0 ? 4 : 0;
        if (_r.Child(meta, "ilst", skip) is not { } ilst) return null;
        foreach (var item in _r.Children(ilst))
        {
            if (!item.Is("----")) continue;
            string? name = null, value = null;
            foreach (var part in _r.Children(item))
            {
                if (part.Is("name") && part.PayloadLength <= 256) name = Encoding.Latin1.GetString(_r.ReadPayload(part, 256, skip: 4));
                else if (part.Is("data") && part.PayloadLength <= 4096) value = Encoding.Latin1.GetString(_r.ReadPayload(part, 4096, skip: 8));
            }
            if (name != "iTunSMPB" || value is null) continue;
            var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 4 && int.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int priming)
                && priming is > 0 and < 16384)
                return priming;
        }
        return null;
    }

    private Mp4Box? Path(Mp4Box parent, params string[] names)
    {
        Mp4Box? box = parent;
        foreach (var n in names)
        {
            box = _r.Child(box!.Value, n);
            if (box is null) return null;
        }
        return box;
    }

    private Mp4Bytes Bytes(Mp4Box box, int limit) => new(_r.ReadPayload(box, limit), _r, box);
}
