namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// Reads an ADTS stream (ISO/IEC 13818-7 6.2 / 14496-3 1.A.2): each frame's fixed header gives the profile, the
/// sampling frequency index and the channel configuration, from which the equivalent AudioSpecificConfig is built;
/// the payload after the header (and its CRC) is one raw access unit. Frames whose fixed header differs from the
/// first one, or junk between frames, are skipped by searching for the next consistent sync word; frames with
/// several raw data blocks are refused (they need the block positions a decoder like ffmpeg's parses).
/// </summary>
public sealed class AdtsFrameReader
{
    private const int HeaderLength = 7;
    private readonly byte[] _data;
    private readonly string _source;
    private int _position;
    private readonly uint _fixedHeader;

    public AdtsFrameReader(byte[] data, string sourceName = "ADTS stream")
    {
        _data = data;
        _source = sourceName;
        int first = FindSync(0, null);
        if (first < 0) throw new AudioDecodeException(sourceName, "no ADTS frame header found");
        _position = first;
        _fixedHeader = FixedHeader(first);
        int profile = (data[first + 2] >> 6) & 3;
        int sfIndex = (data[first + 2] >> 2) & 15;
        int channelConfig = ((data[first + 2] & 1) << 2) | (data[first + 3] >> 6);
        if (sfIndex > 12) throw new AudioDecodeException(sourceName, $"the ADTS header uses the reserved sampling frequency index {sfIndex}", first);
        int aot = profile + 1;
        // AudioSpecificConfig: object type (5), frequency index (4), channel configuration (4), GASpecificConfig (3 zero bits).
        AudioSpecificConfig = new[] { (byte)((aot << 3) | (sfIndex >> 1)), (byte)(((sfIndex & 1) << 7) | (channelConfig << 3)) };
        SampleRate = AacScalefactorBands.SampleRates[sfIndex];
        ChannelConfiguration = channelConfig;
        ObjectType = aot;
    }

    /// <summary>The AudioSpecificConfig equivalent to the first frame's header.</summary>
    public byte[] AudioSpecificConfig { get; }

    public int SampleRate { get; }

    public int ChannelConfiguration { get; }

    public int ObjectType { get; }

    /// <summary>Byte offset of the next frame header.</summary>
    public long Position => _position;

    /// <summary>The next access unit, or false at the end of the data.</summary>
    public bool TryReadFrame(out ReadOnlyMemory<byte> accessUnit)
    {
        accessUnit = default;
        while (true)
        {
            int at = FindSync(_position, _fixedHeader);
            if (at < 0) { _position = _data.Length; return false; }
            int frameLength = ((_data[at + 3] & 3) << 11) | (_data[at + 4] << 3) | (_data[at + 5] >> 5);
            bool crc = (_data[at + 1] & 1) == 0;
            int header = crc ? HeaderLength + 2 : HeaderLength;
            int blocks = (_data[at + 6] & 3) + 1;
            if (frameLength < header || at + frameLength > _data.Length)
            {
                if (at + header <= _data.Length && frameLength >= header && at + frameLength > _data.Length)
                    throw new AudioDecodeException(_source, $"the last ADTS frame declares {frameLength} bytes but only {_data.Length - at} remain (the file is cut short)", at);
                _position = at + 1; // a false sync: keep searching
                continue;
            }
            if (blocks != 1)
                throw new AudioDecodeException(_source, $"an ADTS frame holds {blocks} raw data blocks; the managed reader handles one per frame, decode this file with ffmpeg", at);
            accessUnit = new ReadOnlyMemory<byte>(_data, at + header, frameLength - header);
            _position = at + frameLength;
            return true;
        }
    }

    /// <summary>All access units of the stream.</summary>
    public List<ReadOnlyMemory<byte>> ReadAll()
    {
        var frames = new List<ReadOnlyMemory<byte>>();
        while (TryReadFrame(out var au)) frames.Add(au);
        return frames;
    }

    /// <summary>The fields that stay the same in every frame of a stream (sync, id, layer, profile, rate, channels).</summary>
    private uint FixedHeader(int at) =>
        ((uint)_data[at] << 20) | ((uint)(_data[at + 1] & 0xF6) << 12) | ((uint)(_data[at + 2] & 0xFD) << 4) | (uint)(_data[at + 3] >> 6);

    private int FindSync(int from, uint? expected)
    {
        for (int i = Math.Max(0, from); i + HeaderLength <= _data.Length; i++)
        {
            if (_data[i] != 0xFF || (_data[i + 1] & 0xF6) != 0xF0) continue; // sync word, layer 0
            if (expected is uint fixedHeader && FixedHeader(i) != fixedHeader) continue;
            return i;
        }
        return -1;
    }
}
