#if MANAGED_AAC
using AudioEmbed.Core.Audio.Aac;

namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>
/// AAC in MP4/M4A: the track's AudioSpecificConfig and raw access units through the managed <see cref="AacDecoder"/>.
/// Priming and padding are trimmed by <see cref="Mp4AudioSource"/> (edit list, else iTunSMPB), as ffmpeg trims them.
/// Compiled only when src/AudioEmbed.Core/Audio/Aac/AacDecoder.cs exists (see the MANAGED_AAC switch in the csproj).
/// </summary>
public sealed class M4aAacSource : Mp4AudioSource
{
    private readonly AacDecoder _decoder;

    private M4aAacSource(Stream stream, string name, Mp4File file, AacDecoder decoder)
        : base(stream, name, file, MaxAccessUnitBytes(decoder.Channels))
    {
        _decoder = decoder;
    }

    public override int SampleRate => _decoder.SampleRate;

    public override int Channels => _decoder.Channels;

    /// <summary>Every access unit decodes to a whole frame of 1024, the last one's padding included (as ffmpeg outputs it).</summary>
    private protected override long DecodedFrames() => (long)File.Track.Samples.SampleCount * AacDecoder.FrameLength;

    internal static M4aAacSource Create(Stream stream, string name, Mp4File file)
    {
        var asc = file.Track.AudioSpecificConfig ?? throw new AudioDecodeException(name, "the AAC track has no AudioSpecificConfig (esds DecoderSpecificInfo)");
        AacDecoder decoder;
        try
        {
            decoder = new AacDecoder(asc, name);
        }
        catch (AudioDecodeException e) when (e.FilePath != name)
        {
            throw new AudioDecodeException(name, e.Problem, e.ByteOffset, e);
        }
        if (decoder.Channels < 1 || decoder.SampleRate < 1)
            throw new AudioDecodeException(name, $"the AAC configuration gives {decoder.Channels} channels at {decoder.SampleRate} Hz");
        return new M4aAacSource(stream, name, file, decoder);
    }

    /// <summary>
    /// Whether the first access units carry SBR extension payloads in fill elements: HE-AAC signalled implicitly (the
    /// AudioSpecificConfig says LC). The managed decoder would give only the LC core at half the rate ffmpeg gives, so
    /// such files go to ffmpeg. HE-AAC encoders put SBR data in every frame, so the first two frames tell. A frame that
    /// fails to decode here is left for the real decode to report.
    /// </summary>
    internal static bool CarriesSbr(Stream stream, string name, Mp4File file)
    {
        var asc = file.Track.AudioSpecificConfig;
        if (asc is null) return false;
        try
        {
            var decoder = new AacDecoder(asc, name);
            var cursor = file.Track.Samples.Start();
            var output = new float[AacDecoder.FrameLength * decoder.Channels];
            int max = MaxAccessUnitBytes(decoder.Channels);
            for (int i = 0; i < 2 && cursor.Next(out long offset, out uint size); i++)
            {
                if (size > max || offset < 0 || offset > stream.Length - size) return false;
                var packet = new byte[size + 8];
                stream.Position = offset;
                stream.ReadExactly(packet, 0, (int)size);
                decoder.Decode(packet.AsSpan(0, (int)size), output);
                if (decoder.SawSbrPayload) return true;
            }
        }
        catch (AudioDecodeException) { }
        catch (EndOfStreamException) { }
        return false;
    }

    /// <summary>6144 bits per channel per access unit is the AAC decoder input buffer limit (ISO/IEC 14496-3 4.5.3.1).</summary>
    private static int MaxAccessUnitBytes(int channels) => 768 * Math.Max(1, channels) + 1024;

    private protected override int DecodePacket(byte[] packet, int length, long offset, ref float[] interleaved)
    {
        int need = AacDecoder.FrameLength * Channels;
        if (interleaved.Length < need) interleaved = new float[need];
        try
        {
            return _decoder.Decode(packet.AsSpan(0, length), interleaved);
        }
        catch (AudioDecodeException e) when (e.FilePath != Name || e.ByteOffset is null)
        {
            throw new AudioDecodeException(Name, e.Problem, e.ByteOffset ?? offset, e);
        }
    }
}
#endif
