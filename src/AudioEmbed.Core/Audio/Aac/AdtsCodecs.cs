using AudioEmbed.Core.Audio.Info;
using AudioEmbed.Core.Audio.Mp4;

namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// What a raw AAC (.aac, ADTS) file holds and who decodes it: AAC-LC mono/stereo in the managed decoder; the other
/// ADTS profiles (Main, SSR, LTP), other channel layouts, frames with several raw data blocks, and HE-AAC go to
/// ffmpeg. ADTS cannot signal HE-AAC in its header (the profile field has no SBR value), so HE-AAC is found as in
/// M4A: SBR data in the fill elements of the first frames (implicit signalling).
/// </summary>
internal static class AdtsCodecs
{
    public const string Name = "AAC (ADTS)";

    public static ManagedCodecs.Plan Plan(string path)
    {
        try
        {
            using var frames = AdtsFrameStream.Open(path);
            var first = frames.First;
            string profile = Mp4Codecs.AacProfile(first.ObjectType);
            if (first.ObjectType != AacAudioSpecificConfig.ObjectTypeLc)
                return new ManagedCodecs.Plan(false, $"{Name} ({profile})", $"the managed AAC decoder reads AAC-LC only, and this file's ADTS header says {profile}");
            if (first.ChannelConfiguration is not (1 or 2))
                return new ManagedCodecs.Plan(false, $"{Name} (LC)", first.ChannelConfiguration == 0
                    ? "its channel layout is given by a program config element in the stream, which the managed AAC decoder does not read"
                    : $"it has channel configuration {first.ChannelConfiguration} and the managed AAC decoder reads mono and stereo");
            if (first.RawDataBlocks != 1)
                return new ManagedCodecs.Plan(false, $"{Name} (LC)", $"its frames hold {first.RawDataBlocks} raw data blocks each, which the managed ADTS reader does not split");
            if (CarriesSbr(frames))
                return new ManagedCodecs.Plan(false, $"{Name} (HE-AAC, implicit SBR)",
                    "its ADTS header says AAC-LC but its frames carry SBR data (implicitly signalled HE-AAC); the managed AAC decoder reads AAC-LC only and would give the core at half the rate");
            return new ManagedCodecs.Plan(true, $"{Name} (LC)");
        }
        catch (AudioDecodeException e)
        {
            return new ManagedCodecs.Plan(false, Name, "the managed ADTS reader cannot read it: " + e.Problem);
        }
        catch (IOException e)
        {
            return new ManagedCodecs.Plan(false, Name, e.Message);
        }
    }

    /// <summary>
    /// SBR payloads in the first two frames (HE-AAC encoders put SBR data in every frame). A frame that fails to decode
    /// here is left for the real decode to report.
    /// </summary>
    private static bool CarriesSbr(AdtsFrameStream frames)
    {
        try
        {
            var decoder = new AacDecoder(frames.First.AudioSpecificConfig(), frames.Name);
            var output = new float[AacDecoder.FrameLength * decoder.Channels];
            for (int i = 0; i < 2 && frames.Next(out var raw); i++)
            {
                decoder.Decode(raw, output);
                if (decoder.SawSbrPayload) return true;
            }
        }
        catch (AudioDecodeException) { }
        return false;
    }

    /// <summary>
    /// Header facts without decoding: rate, channels and profile from the first frame; the length from the frame
    /// count, exact when the first frames reach the end of the file, else estimated from their average size (as
    /// ffprobe estimates it from the bitrate) and marked so.
    /// </summary>
    public static AudioFileInfo Info(string path, long size)
    {
        const int SampleFrames = 512;
        using var frames = AdtsFrameStream.Open(path);
        var first = frames.First;
        long start = -1, end = 0;
        int count = 0;
        bool whole;
        while (true)
        {
            if (count == SampleFrames) { whole = false; break; }
            if (!frames.Skip()) { whole = true; break; }
            if (start < 0) start = frames.FrameOffset;
            end = frames.FrameOffset + frames.Current.FrameLength;
            count++;
        }
        long? exact = whole ? (long)count * AacDecoder.FrameLength : null;
        double average = count > 0 ? (double)(end - start) / count : 0;
        long? estimate = exact ?? (average > 0 ? (long)Math.Round((size - start) / average) * AacDecoder.FrameLength : null);
        var duration = ManagedInfoReader.Seconds(estimate, first.SampleRate);
        string codec = $"AAC ({(first.ObjectType == AacAudioSpecificConfig.ObjectTypeLc ? "LC" : Mp4Codecs.AacProfile(first.ObjectType))})";
        return new AudioFileInfo
        {
            Path = path,
            Format = "ADTS " + codec,
            Container = "ADTS",
            Codec = codec,
            SampleRate = first.SampleRate,
            Channels = first.ChannelConfiguration,
            Frames = exact,
            Duration = duration,
            DurationIsEstimate = exact is null,
            Bitrate = average > 0 ? (long)Math.Round(average * 8 * first.SampleRate / AacDecoder.FrameLength) : null,
            FileSize = size,
            Decoder = "Managed",
        };
    }
}
