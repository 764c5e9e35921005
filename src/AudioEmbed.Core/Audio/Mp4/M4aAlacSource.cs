using AudioEmbed.Core.Audio.Alac;

namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>Apple Lossless in MP4/M4A: the track's 'alac' configuration and packets through <see cref="AlacDecoder"/>, scaled to [-1, 1) as ffmpeg does (sample / 2^(bits-1)).</summary>
public sealed class M4aAlacSource : Mp4AudioSource
{
    private readonly AlacDecoder _decoder;
    private readonly float _scale;

    private M4aAlacSource(Stream stream, string name, Mp4File file, AlacConfig config)
        : base(stream, name, file, MaxPacketBytes(config))
    {
        _decoder = new AlacDecoder(config, name);
        _scale = 1f / (1L << (config.BitDepth - 1));
        // The sample entry's rate is 16.16 fixed point (so at most 65535 Hz); the cookie's is exact.
        SampleRate = config.SampleRate > 0 ? config.SampleRate : file.Track.SampleRate;
    }

    public override int SampleRate { get; }

    public override int Channels => _decoder.Config.Channels;

    public int BitsPerSample => _decoder.Config.BitDepth;

    /// <summary>ALAC packets carry their exact frame counts, which the sample table's durations repeat.</summary>
    private protected override long DecodedFrames()
    {
        var track = File.Track;
        return (long)Math.Round(track.Samples.TotalDuration() * (double)SampleRate / track.MediaTimescale);
    }

    internal static M4aAlacSource Create(Stream stream, string name, Mp4File file)
    {
        var cookie = file.Track.AlacCookie ?? throw new AudioDecodeException(name, "the ALAC track has no 'alac' configuration box");
        var config = AlacConfig.Parse(cookie, name);
        if (config.SampleRate <= 0 && file.Track.SampleRate <= 0) throw new AudioDecodeException(name, "the ALAC track states no sample rate");
        return new M4aAlacSource(stream, name, file, config);
    }

    /// <summary>A verbatim frame plus headers: the largest packet a valid encoder writes (the cookie's own figure may be 0).</summary>
    private static int MaxPacketBytes(AlacConfig c) => (int)Math.Min(int.MaxValue, (long)c.FrameLength * c.Channels * (c.BitDepth / 8 + 1) + 1024);

    private protected override int DecodePacket(byte[] packet, int length, long offset, ref float[] interleaved)
    {
        int frames = _decoder.Decode(packet, length, offset);
        int channels = Channels;
        if (interleaved.Length < frames * channels) interleaved = new float[_decoder.Config.FrameLength * channels];
        bool sixteen = _decoder.Config.BitDepth == 16; // ffmpeg stores 16-bit ALAC as int16: a damaged stream's overflow wraps the same way
        for (int c = 0; c < channels; c++)
        {
            var src = _decoder.Channel(c, frames);
            if (sixteen) for (int i = 0, o = c; i < src.Length; i++, o += channels) interleaved[o] = (short)src[i] * _scale;
            else for (int i = 0, o = c; i < src.Length; i++, o += channels) interleaved[o] = src[i] * _scale;
        }
        return frames;
    }
}
