namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>
/// What an MP4/M4A file's sound track holds, and the managed source for it: ALAC always, AAC-LC when the managed
/// AAC decoder is built in (<see cref="ManagedAac"/>); HE-AAC, other AAC profiles, MP3-in-MP4, AC-3, Opus ... go to ffmpeg.
/// </summary>
public static class Mp4Codecs
{
#if MANAGED_AAC
    public const bool ManagedAac = true;
#else
    /// <summary>False until src/AudioEmbed.Core/Audio/Aac/AacDecoder.cs is part of the build (it switches MANAGED_AAC on).</summary>
    public const bool ManagedAac = false;
#endif

    public static Mp4AudioSource Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024, FileOptions.RandomAccess);
        try
        {
            var file = Mp4File.Read(stream, path);
            var (managed, codec, why) = Describe(file.Track);
            if (!managed) throw new AudioDecodeException(path, $"its sound track is {codec}, which needs ffmpeg: {why}");
            if (file.Track.SampleEntry == "alac") return M4aAlacSource.Create(stream, path, file);
#if MANAGED_AAC
            return M4aAacSource.Create(stream, path, file);
#else
            throw new AudioDecodeException(path, $"its sound track is {codec}, which needs ffmpeg");
#endif
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    internal static ManagedCodecs.Plan Plan(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024, FileOptions.RandomAccess);
            var file = Mp4File.Read(stream, path);
            var (managed, codec, why) = Describe(file.Track);
#if MANAGED_AAC
            if (managed && file.Track.SampleEntry == "mp4a" && M4aAacSource.CarriesSbr(stream, path, file))
                return new ManagedCodecs.Plan(false, "MP4/M4A AAC (HE-AAC, implicit SBR)",
                    "its AudioSpecificConfig says AAC-LC but its frames carry SBR data (implicitly signalled HE-AAC); the managed AAC decoder reads AAC-LC only and would give the core at half the rate");
#endif
            return new ManagedCodecs.Plan(managed, "MP4/M4A " + codec, why);
        }
        catch (AudioDecodeException e)
        {
            return new ManagedCodecs.Plan(false, "MP4/M4A", "the managed MP4 demuxer cannot read it: " + e.Problem);
        }
        catch (IOException e)
        {
            return new ManagedCodecs.Plan(false, "MP4/M4A", e.Message);
        }
    }

    /// <summary>The codec in words ("ALAC", "AAC (LC)", "AAC (HE-AAC, SBR)"), whether a managed decoder reads it, and why not.</summary>
    internal static (bool Managed, string Codec, string? Why) Describe(Mp4AudioTrack track)
    {
        switch (track.SampleEntry)
        {
            case "alac":
                return (true, "ALAC", null);
            case "mp4a" when track.ObjectType is 0x40 or 0x66 or 0x67 or 0x68:
                int aot = AudioObjectType(track.AudioSpecificConfig);
                string profile = AacProfile(aot);
                if (aot != 2) return (false, $"AAC ({profile})", $"the managed AAC decoder reads AAC-LC only, and this file uses {profile}");
                return ManagedAac ? (true, "AAC (LC)", null) : (false, "AAC (LC)", "this build has no managed AAC decoder yet");
            case "mp4a" when track.ObjectType is 0x69 or 0x6B:
                return (false, "MP3", "MP3 inside MP4 is read by ffmpeg (the managed MP3 decoder reads .mp3 files)");
            case "mp4a":
                return (false, $"mp4a (object type 0x{track.ObjectType:X2})", "no managed decoder reads this MPEG-4 object type");
            default:
                string name = track.SampleEntry switch
                {
                    "Opus" => "Opus", "fLaC" => "FLAC", "ac-3" => "AC-3", "ec-3" => "E-AC-3", ".mp3" => "MP3",
                    "lpcm" or "sowt" or "twos" or "in24" or "in32" or "fl32" or "fl64" => "PCM (" + track.SampleEntry + ")",
                    _ => "'" + track.SampleEntry + "'",
                };
                return (false, name, "no managed decoder reads it inside MP4");
        }
    }

    /// <summary>AudioSpecificConfig's audioObjectType (5 bits, 31 escapes to 32 + 6 bits); 0 when absent.</summary>
    internal static int AudioObjectType(byte[]? asc)
    {
        if (asc is null || asc.Length < 1) return 0;
        int aot = asc[0] >> 3;
        if (aot == 31 && asc.Length >= 2) aot = 32 + ((asc[0] & 7) << 3 | asc[1] >> 5);
        return aot;
    }

    internal static string AacProfile(int aot) => aot switch
    {
        1 => "AAC Main",
        2 => "LC",
        3 => "AAC SSR",
        4 => "AAC LTP",
        5 => "HE-AAC, SBR",
        29 => "HE-AAC v2, SBR+PS",
        23 => "AAC-LD",
        39 => "AAC-ELD",
        42 => "USAC/xHE-AAC",
        0 => "no AudioSpecificConfig",
        _ => $"audio object type {aot}",
    };
}
