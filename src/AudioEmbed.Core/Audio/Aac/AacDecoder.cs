namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// A managed MPEG-4 AAC-LC decoder: one raw access unit (a raw_data_block, as an MP4 sample or an ADTS frame's
/// payload) in, 1024 interleaved float samples per channel out, scaled to [-1, 1] like ffmpeg's float decoder.
/// Mono and stereo; long, start, stop and eight-short windows with sine and KBD shapes; M/S and intensity stereo,
/// perceptual noise substitution (with ffmpeg's noise generator), TNS and pulse data.
/// </summary>
/// <remarks>
/// Other profiles are refused when the AudioSpecificConfig is read, with a message naming the profile, so that the
/// caller can hand the file to ffmpeg. SBR data found in fill elements of an AAC-LC stream (implicit HE-AAC) is
/// skipped: the LC core is decoded at the core rate and <see cref="SawSbrPayload"/> says so (ffmpeg would upsample
/// it to twice the rate with SBR). Malformed data raises <see cref="AudioDecodeException"/>.
/// </remarks>
public sealed class AacDecoder
{
    public const int FrameLength = 1024;

    private readonly AacAudioSpecificConfig _config;
    private readonly string _source;
    private readonly AacBitReader _reader = new();
    private readonly AacNoiseGenerator _noise = new();
    private readonly AacChannel[] _channels;
    private readonly bool[] _msMask = new bool[8 * 16];
    private readonly float[][] _output;

    public AacDecoder(ReadOnlySpan<byte> audioSpecificConfig) : this(audioSpecificConfig, "AAC stream") { }

    /// <param name="audioSpecificConfig">The stream's AudioSpecificConfig (esds DecoderSpecificInfo, or built from an ADTS header).</param>
    /// <param name="sourceName">The file name that errors should name.</param>
    public AacDecoder(ReadOnlySpan<byte> audioSpecificConfig, string sourceName)
    {
        _source = sourceName;
        _config = AacAudioSpecificConfig.Parse(audioSpecificConfig, sourceName);
        _channels = new AacChannel[_config.Channels];
        _output = new float[_config.Channels][];
        for (int c = 0; c < _channels.Length; c++)
        {
            _channels[c] = new AacChannel();
            _output[c] = new float[FrameLength];
        }
    }

    public int SampleRate => _config.SampleRate;

    public int Channels => _config.Channels;

    /// <summary>True once a fill element carried SBR data: the stream is implicitly signalled HE-AAC and only its LC core is decoded.</summary>
    public bool SawSbrPayload { get; private set; }

    /// <summary>How often each coding tool occurred so far.</summary>
    public AacToolUsage ToolUsage { get; } = new();

    /// <summary>Decodes one access unit into <paramref name="interleaved"/> (at least 1024 x <see cref="Channels"/> floats); returns the frames written (1024).</summary>
    public int Decode(ReadOnlySpan<byte> accessUnit, Span<float> interleaved)
    {
        if (interleaved.Length < FrameLength * Channels)
            throw new ArgumentException($"the output needs room for {FrameLength * Channels} samples (got {interleaved.Length})", nameof(interleaved));
        var br = _reader;
        br.Reset(accessUnit);
        bool audio = false;
        while (true)
        {
            if (br.BitsLeft < 3) throw new AudioDecodeException(_source, "an AAC frame ends without its END element");
            int id = br.Read(3);
            if (id == AacElementId.End) break;
            switch (id)
            {
                case AacElementId.SingleChannel:
                case AacElementId.LowFrequency:
                    br.Skip(4); // element_instance_tag
                    if (audio || Channels != 1) throw UnexpectedElement(id == AacElementId.SingleChannel ? "a single channel element" : "an LFE element");
                    _channels[0].Decode(br, false, _config.SamplingIndex, _noise, ToolUsage, _source);
                    audio = true;
                    break;
                case AacElementId.ChannelPair:
                    br.Skip(4);
                    if (audio || Channels != 2) throw UnexpectedElement("a channel pair element");
                    DecodeChannelPair(br);
                    audio = true;
                    break;
                case AacElementId.Coupling:
                    throw new AudioDecodeException(_source, "unsupported AAC feature: a coupling channel element; decode this file with ffmpeg");
                case AacElementId.DataStream:
                    SkipDataStream(br);
                    break;
                case AacElementId.ProgramConfig:
                    AacProgramConfig.Read(br, _source);
                    break;
                case AacElementId.Fill:
                    ReadFill(br);
                    break;
            }
            if (br.Overrun) throw new AudioDecodeException(_source, "an AAC frame's elements run past its end");
        }
        if (!audio) throw new AudioDecodeException(_source, "an AAC frame holds no audio element");

        for (int c = 0; c < Channels; c++) _channels[c].Synthesize(_output[c], ToolUsage);
        Interleave(interleaved);
        ToolUsage.Frames++;
        return FrameLength;
    }

    private void DecodeChannelPair(AacBitReader br)
    {
        AacChannel left = _channels[0], right = _channels[1];
        bool common = br.ReadBit();
        int msPresent = 0;
        if (common)
        {
            left.Ics.Read(br, _config.SamplingIndex, _source);
            right.Ics.CopyCommonFrom(left.Ics);
            msPresent = br.Read(2);
            if (msPresent == 3) throw new AudioDecodeException(_source, "an AAC channel pair uses the reserved ms_mask_present value 3");
            int bands = left.Ics.NumWindowGroups * left.Ics.MaxSfb;
            for (int i = 0; i < bands; i++) _msMask[i] = msPresent == 2 || (msPresent == 1 && br.ReadBit());
        }
        left.Decode(br, common, _config.SamplingIndex, _noise, ToolUsage, _source);
        right.Decode(br, common, _config.SamplingIndex, _noise, ToolUsage, _source);
        if (common && msPresent != 0)
        {
            AacStereo.ApplyMidSide(left, right, _msMask);
            int bands = left.Ics.NumWindowGroups * left.Ics.MaxSfb;
            for (int i = 0; i < bands; i++) if (_msMask[i]) ToolUsage.MidSideBands++;
        }
        ToolUsage.IntensityBands += AacStereo.ApplyIntensity(left, right, _msMask, msPresent != 0);
    }

    private static void SkipDataStream(AacBitReader br)
    {
        br.Skip(4); // element_instance_tag
        bool align = br.ReadBit();
        int count = br.Read(8);
        if (count == 255) count += br.Read(8);
        if (align) br.ByteAlign();
        br.SkipLong(8L * count);
    }

    /// <summary>fill_element: notes SBR extension payloads (implicit HE-AAC) and skips everything.</summary>
    private void ReadFill(AacBitReader br)
    {
        int count = br.Read(4);
        if (count == 15) count += br.Read(8) - 1;
        if (count <= 0) return;
        int type = br.Read(4);
        if (type is AacElementId.ExtensionSbr or AacElementId.ExtensionSbrCrc) SawSbrPayload = true;
        br.SkipLong(8L * count - 4);
    }

    private AudioDecodeException UnexpectedElement(string what) =>
        new(_source, $"an AAC frame holds {what} that its channel configuration ({(Channels == 1 ? "mono" : "stereo")}) does not declare; streams with more than one audio element need ffmpeg");

    private void Interleave(Span<float> interleaved)
    {
        if (Channels == 1)
        {
            _output[0].AsSpan().CopyTo(interleaved);
            return;
        }
        float[] l = _output[0], r = _output[1];
        for (int i = 0; i < FrameLength; i++)
        {
            interleaved[2 * i] = l[i];
            interleaved[2 * i + 1] = r[i];
        }
    }
}
