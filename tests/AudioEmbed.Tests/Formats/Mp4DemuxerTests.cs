using System.Diagnostics;
using System.Globalization;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp4;
using AudioEmbed.Tests.FFmpeg;

namespace AudioEmbed.Tests.Formats;

/// <summary>
/// The MP4 demuxer against ffprobe: every access unit's offset and size, the trimmed sample range (edit list) equal
/// to what ffmpeg decodes, the codec named for the ones that need ffmpeg, and lying headers refused without giant allocations.
/// </summary>
[Collection(FFmpegCollection.Name)]
public class Mp4DemuxerTests
{
    private static string AacSong(string bitrate = "96k") => FormatTestFiles.Make($"aac-{bitrate}.m4a",
        "-i", SharedData.Require("audio", "admiralbob77_-_Choice_-_Drum-bass.ogg"), "-vn", "-t", "20", "-c:a", "aac", "-b:a", bitrate);

    [SkippableTheory]
    [InlineData("aac")]
    [InlineData("alac")]
    public void Access_units_match_ffprobe_packets(string codec)
    {
        var tools = FFmpegTestSupport.RequireProbe();
        string m4a = codec == "aac" ? AacSong() : FormatTestFiles.AlacSong("Kevin_MacLeod_-_Vibe_Ace.ogg", "s16p", 30);
        var expected = Probe(tools.FFprobe!, m4a, "-show_entries", "packet=pos,size", "-of", "csv=p=0")
            .Select(l => l.Split(',')).Select(f => (Offset: long.Parse(f[1], CultureInfo.InvariantCulture), Size: uint.Parse(f[0], CultureInfo.InvariantCulture))).ToList(); // ffprobe prints size, then pos
        using var stream = File.OpenRead(m4a);
        var file = Mp4File.Read(stream, m4a);
        var cursor = file.Track.Samples.Start();
        var got = new List<(long, uint)>();
        while (cursor.Next(out long offset, out uint size)) got.Add((offset, size));
        Assert.True(expected.Count > 100);
        Assert.Equal(expected, got);
    }

    [SkippableFact]
    public void The_aac_sample_range_is_ffmpegs_edit_list_start_and_length()
    {
        string m4a = AacSong();
        using var stream = File.OpenRead(m4a);
        var file = Mp4File.Read(stream, m4a);
        Assert.Equal("mp4a", file.Track.SampleEntry);
        Assert.Equal(2, Mp4Codecs.AudioObjectType(file.Track.AudioSpecificConfig));
        Assert.Equal(1024, file.Skip()); // ffmpeg's AAC encoder priming, in its edit list
        Assert.Equal(20 * 22050, file.EditFrames()); // the encoded signal's true length
        // ffmpeg decodes every access unit to 1024 frames, skips the edit's start and keeps the last frame's padding.
        var reference = FormatTestFiles.FFmpegDecode(m4a);
        Assert.Equal(file.Track.Samples.SampleCount * 1024L - 1024, reference.Samples.Length / reference.Channels);
    }

    [SkippableFact]
    public void ITunSMPB_alone_skips_the_priming_as_ffmpeg_does()
    {
        // An iTunes-style file: no edit list, an iTunSMPB tag giving 2112 frames of priming.
        string m4a = AacSong();
        var bytes = File.ReadAllBytes(m4a);
        int edts = IndexOf(bytes, "edts"u8);
        Assert.True(edts > 0);
        "free"u8.CopyTo(bytes.AsSpan(edts)); // the edit list becomes free space
        string withTag = WithITunSmpb(bytes, 2112);
        using var stream = File.OpenRead(withTag);
        var file = Mp4File.Read(stream, withTag);
        Assert.Equal(2112, file.ITunesPriming);
        Assert.Equal(2112, file.Skip());
        Assert.Null(file.EditFrames());
        // ffmpeg agrees: its decode is every access unit's 1024 frames less the 2112 priming frames.
        var reference = FormatTestFiles.FFmpegDecode(withTag);
        Assert.Equal(file.Track.Samples.SampleCount * 1024L - 2112, reference.Samples.Length / reference.Channels);
        File.Delete(withTag);
    }

    [SkippableFact]
    public void Aac_lc_is_managed_under_auto_now_that_the_decoder_is_built_in()
    {
        Assert.True(Mp4Codecs.ManagedAac, "src/AudioEmbed.Core/Audio/Aac/AacDecoder.cs switches MANAGED_AAC on");
        string m4a = AacSong();
        using var auto = AudioFile.Open(m4a);
        Assert.IsType<M4aAacSource>(auto);
    }

    [SkippableFact]
    public void He_aac_is_named_as_such()
    {
        var track = new Mp4AudioTrack
        {
            TrackId = 1, SampleEntry = "mp4a", Channels = 2, SampleRate = 44100, MediaTimescale = 44100, MovieTimescale = 1000,
            ObjectType = 0x40, AudioSpecificConfig = [0x2B, 0x92, 0x08, 0x00], // AOT 5 (SBR)
            Samples = new Mp4SampleTable { SampleCount = 0, ConstantSize = 0, Sizes = [], ChunkOffsets = [], Chunks = [], Durations = [] },
        };
        var (managed, codec, why) = Mp4Codecs.Describe(track);
        Assert.False(managed);
        Assert.Equal("AAC (HE-AAC, SBR)", codec);
        Assert.Contains("uses HE-AAC, SBR", why);
    }

    [SkippableFact]
    public void Lying_table_counts_are_refused_before_anything_is_allocated()
    {
        string m4a = FormatTestFiles.AlacTones(2, "stereo", "s16p");
        var bytes = File.ReadAllBytes(m4a);
        foreach (var box in new[] { "stsz"u8.ToArray(), "stco"u8.ToArray(), "stts"u8.ToArray(), "stsc"u8.ToArray() })
        {
            var lying = (byte[])bytes.Clone();
            int at = IndexOf(lying, box);
            int countAt = at + 4 + 4 + (box[2] == 's' && box[3] == 'z' ? 4 : 0); // after version/flags (and stsz's sample size)
            lying[countAt] = 0x7F; lying[countAt + 1] = 0xFF; lying[countAt + 2] = 0xFF; lying[countAt + 3] = 0xFF;
            string path = Path.Combine(Path.GetTempPath(), $"aembed-lying-{Guid.NewGuid():N}.m4a");
            File.WriteAllBytes(path, lying);
            try
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(path, new DecoderOptions(DecoderPreference.Managed)).Dispose());
                Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "a lying count allocated more than 16 MB");
                Assert.Contains("entries", e.Message);
                Assert.Equal(path, e.FilePath);
            }
            finally { File.Delete(path); }
        }
    }

    [SkippableFact]
    public void A_box_larger_than_the_file_and_a_cut_file_are_refused_with_offsets()
    {
        string m4a = FormatTestFiles.AlacTones(1, "mono", "s16p");
        var bytes = File.ReadAllBytes(m4a);
        string dir = Directory.CreateTempSubdirectory("aembed-mp4-").FullName;
        try
        {
            var big = (byte[])bytes.Clone();
            int moov = IndexOf(big, "moov"u8) - 4;
            big[moov] = 0x7F;
            string bigPath = Path.Combine(dir, "big.m4a");
            File.WriteAllBytes(bigPath, big);
            var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(bigPath, new DecoderOptions(DecoderPreference.Managed)));
            Assert.Contains("'moov' box says it is", e.Message);

            // moov at the end (ffmpeg's default): cutting the file loses it.
            string cut = Path.Combine(dir, "cut.m4a");
            File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length / 2).ToArray());
            e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(cut, new DecoderOptions(DecoderPreference.Managed)));
            Assert.Contains("box says it is", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [SkippableFact]
    public void Faststart_files_with_moov_first_decode_the_same()
    {
        string alac = FormatTestFiles.AlacTones(2, "stereo", "s16p");
        string fast = FormatTestFiles.Make("faststart.m4a", "-i", alac, "-c", "copy", "-movflags", "+faststart");
        Assert.Equal(FormatTestFiles.ManagedDecode(alac).Samples, FormatTestFiles.ManagedDecode(fast).Samples);
    }

    [SkippableFact]
    public void Fragmented_files_are_refused_by_managed_and_decoded_by_auto()
    {
        string alac = FormatTestFiles.AlacTones(2, "stereo", "s16p");
        string frag = FormatTestFiles.Make("fragmented.m4a", "-i", alac, "-c", "copy", "-movflags", "+frag_keyframe+empty_moov");
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(frag, new DecoderOptions(DecoderPreference.Managed)));
        Assert.Contains("fragmented", e.Message);
        using var auto = AudioFile.Open(frag);
        Assert.IsType<AudioEmbed.Core.Audio.FFmpeg.FFmpegDecoder>(auto);
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> what) => data.AsSpan().IndexOf(what);

    /// <summary>Appends moov/udta/meta/ilst/----(mean, name "iTunSMPB", data) to the file's moov (moov is last in ffmpeg's output).</summary>
    private static string WithITunSmpb(byte[] file, int priming)
    {
        static byte[] Box(string type, params byte[][] parts)
        {
            int len = 8 + parts.Sum(p => p.Length);
            var b = new byte[len];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b, len);
            System.Text.Encoding.ASCII.GetBytes(type).CopyTo(b, 4);
            int o = 8;
            foreach (var p in parts) { p.CopyTo(b, o); o += p.Length; }
            return b;
        }
        static byte[] Text(string s) => System.Text.Encoding.ASCII.GetBytes(s);
        string smpb = $" 00000000 {priming:X8} 00000000 0000000000000000 00000000 00000000";
        var item = Box("----", Box("mean", new byte[4], Text("com.apple.iTunes")), Box("name", new byte[4], Text("iTunSMPB")),
            Box("data", [0, 0, 0, 1, 0, 0, 0, 0], Text(smpb)));
        var udta = Box("udta", Box("meta", new byte[4], Box("hdlr", new byte[8], Text("mdir"), new byte[13]), Box("ilst", item)));
        int moov = IndexOf(file, "moov"u8) - 4;
        Assert.True(moov > 0);
        // Drop the existing udta (ffmpeg writes one with its encoder tag) so there is only ours.
        var moovBytes = file.AsSpan(moov).ToArray();
        int oldUdta = IndexOf(moovBytes, "udta"u8);
        if (oldUdta > 0) "free"u8.CopyTo(moovBytes.AsSpan(oldUdta));
        var combined = file.AsSpan(0, moov).ToArray().Concat(moovBytes).Concat(udta).ToArray();
        int newMoovLength = moovBytes.Length + udta.Length;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(combined.AsSpan(moov), newMoovLength);
        string path = Path.Combine(FormatTestFiles.TempFolder, $"itunsmpb-{Guid.NewGuid():N}.m4a");
        File.WriteAllBytes(path, combined);
        return path;
    }

    private static List<string> Probe(string ffprobe, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(ffprobe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-select_streams", "a:0" }.Concat(args).Append(file)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        p.WaitForExit();
        return lines;
    }
}
