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
            decoder = new AacDecoder(asc);
        }
        catch (AudioDecodeException e) when (e.FilePath != name)
        {
            throw new AudioDecodeException(name, e.Problem, e.ByteOffset, e);
        }
        if (decoder.Channels < 1 || decoder.SampleRate < 1)
            throw new AudioDecodeException(name, $"the AAC configuration gives {decoder.Channels} channels at {decoder.SampleRate} Hz");
        return new M4aAacSource(stream, name, file, decoder);
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
