using System.Globalization;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp4;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Formats;

/// <summary>
/// AAC-LC in M4A, end to end through the MP4 demuxer and the managed AAC decoder: files made by ffmpeg's own AAC
/// encoder (several bitrates and rates, mono and stereo, real songs, with and without faststart) decode to ffmpeg's
/// float samples within <see cref="MaxDelta"/>, over the same sample range (ffmpeg 5.1 skips the edit list's priming
/// and keeps the last frame's padding).
/// </summary>
[Collection(AudioEmbed.Tests.FFmpeg.FFmpegCollection.Name)]
public class AacM4aTests(ITestOutputHelper output)
{
    /// <summary>Measured worst case over these files: 3.6e-7 (the 44.1 kHz stereo song; float rounding of two IMDCT implementations).</summary>
    private const double MaxDelta = 1e-5;

    internal static string AacSong(string song, string bitrate, params string[] extra) =>
        FormatTestFiles.Make($"aac-{Path.GetFileNameWithoutExtension(song)}-{bitrate}{string.Concat(extra)}.m4a", SongArguments(song, bitrate, extra));

    /// <summary>ffmpeg's arguments for 20 s of a real song encoded with its AAC encoder (the container is the caller's).</summary>
    internal static string[] SongArguments(string song, string bitrate, string[] extra) =>
        ["-i", SharedData.Require("audio", song), "-vn", "-t", "20", .. extra, "-c:a", "aac", "-b:a", bitrate];

    /// <summary>A tone per channel with a sweep and noise, so transients (short windows), PNS and stereo tools all occur.</summary>
    internal static string AacTones(int channels, int rate, string bitrate, double seconds = 3) =>
        FormatTestFiles.Make($"aac-tones-{channels}-{rate}-{bitrate}.m4a", [.. ToneInput(channels, rate, seconds), "-c:a", "aac", "-b:a", bitrate]);

    /// <summary>ffmpeg's lavfi input for those tones.</summary>
    internal static string[] ToneInput(int channels, int rate, double seconds)
    {
        var exprs = string.Join("|", Enumerable.Range(0, channels).Select(c =>
            $"0.5*sin({330 * (c + 1)}*2*PI*t+{200 * (c + 1)}*PI*t*t)*sin(0.7*PI*t)+0.2*(random({c})-0.5)*lt(mod(t\\,0.5)\\,0.05)+0.02*(random({c + 7})-0.5)"));
        string layout = channels == 1 ? "mono" : "stereo";
        return ["-f", "lavfi", "-i", $"aevalsrc={exprs}:c={layout}:s={rate}:d={seconds.ToString(CultureInfo.InvariantCulture)}"];
    }

    [SkippableTheory]
    [InlineData(1, 8000, "16k")]
    [InlineData(1, 22050, "48k")]
    [InlineData(1, 44100, "64k")]
    [InlineData(2, 32000, "96k")]
    [InlineData(2, 44100, "128k")]
    [InlineData(2, 48000, "256k")]
    [InlineData(2, 96000, "192k")]
    public void Generated_signals_decode_as_ffmpeg_does(int channels, int rate, string bitrate)
    {
        var (_, gotRate, gotChannels, _) = AssertMatchesFFmpeg(AacTones(channels, rate, bitrate));
        Assert.Equal(rate, gotRate);
        Assert.Equal(channels, gotChannels);
    }

    [SkippableTheory]
    [InlineData("admiralbob77_-_Choice_-_Drum-bass.ogg", "96k")]
    [InlineData("sorohanro_-_solo-trumpet-06.ogg", "32k")]
    [InlineData("Kevin_MacLeod_-_Vibe_Ace.ogg", "128k")]
    public void Songs_decode_as_ffmpeg_does(string song, string bitrate) => AssertMatchesFFmpeg(AacSong(song, bitrate));

    [SkippableFact]
    public void A_stereo_song_at_44_1_khz_decodes_as_ffmpeg_does() =>
        AssertMatchesFFmpeg(AacSong("TRWJAZW128F42760DD_test.mp3", "160k", "-ar", "44100"));

    [SkippableFact]
    public void Faststart_files_decode_the_same_as_ffmpeg_and_as_without_faststart()
    {
        string plain = AacTones(2, 44100, "128k");
        string fast = FormatTestFiles.Make("aac-faststart.m4a", "-i", plain, "-c", "copy", "-movflags", "+faststart");
        var bytes = File.ReadAllBytes(fast);
        Assert.True(bytes.AsSpan().IndexOf("moov"u8) < bytes.AsSpan().IndexOf("mdat"u8), "faststart puts moov before mdat");
        var managed = AssertMatchesFFmpeg(fast);
        Assert.Equal(FormatTestFiles.ManagedDecode(plain).Samples, managed.Samples);
    }

    [SkippableFact]
    public void Auto_decodes_aac_lc_in_process()
    {
        string m4a = AacTones(1, 44100, "64k");
        using var auto = AudioFile.Open(m4a);
        Assert.IsType<M4aAacSource>(auto);
    }

    [SkippableTheory]
    [InlineData(1, 44100, "64k")]
    [InlineData(2, 96000, "192k")]
    public void File_info_gives_ffprobes_facts(int channels, int rate, string bitrate)
    {
        string m4a = AacTones(channels, rate, bitrate);
        var info = AudioEmbed.Core.Audio.Info.AudioFileInfo.Read(m4a);
        Assert.Equal(("MP4 AAC (LC)", "MP4", "AAC (LC)", "Managed"), (info.Format, info.Container, info.Codec, info.Decoder));
        AudioEmbed.Tests.FFmpeg.FFmpegTestSupport.RequireProbe();
        var probe = AudioEmbed.Core.Audio.Info.AudioFileInfo.Read(m4a, new DecoderOptions(DecoderPreference.FFmpeg));
        Assert.Equal(("MP4", "AAC (LC)", "FFmpeg"), (probe.Container, probe.Codec, probe.Decoder));
        Assert.Equal((probe.SampleRate, probe.Channels), (info.SampleRate, info.Channels));
        Assert.Equal((rate, channels), (info.SampleRate, info.Channels));
        Assert.Null(info.BitsPerSample);
        // The edit list's length: the encoded signal (3 s), as ffprobe says, not the decoded length with the last frame's padding.
        Assert.Equal(3L * rate, info.Frames);
        Assert.Equal(probe.Duration!.Value.TotalSeconds, info.Duration!.Value.TotalSeconds, 4);
    }

    [SkippableTheory]
    [InlineData(new byte[] { 0x2B, 0x8A, 0x08, 0x00 }, "HE-AAC, SBR")]          // AOT 5: 22.05 kHz LC core, SBR to 44.1 kHz
    [InlineData(new byte[] { 0xEB, 0x8A, 0x08, 0x00 }, "HE-AAC v2, SBR+PS")]    // AOT 29: the same plus parametric stereo
    public void He_aac_goes_to_ffmpeg_under_auto_and_is_named_under_managed(byte[] asc, string profile)
    {
        // ffmpeg 5.1 here has no HE-AAC encoder (libfdk_aac is not built in), so the HE-AAC file is an LC file from
        // ffmpeg's encoder whose esds AudioSpecificConfig is rewritten to signal SBR (and PS) explicitly.
        string lc = AacTones(1, 22050, "48k");
        string he = WithAudioSpecificConfig(lc, asc, $"he-aac-{asc[0]:X2}.m4a");
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(he, new DecoderOptions(DecoderPreference.Managed)));
        Assert.Contains($"MP4/M4A AAC ({profile}) audio needs ffmpeg", e.Message);
        Assert.Contains($"this file uses {profile}", e.Message);
        Assert.Equal(he, e.FilePath);
        using var auto = AudioFile.Open(he);
        Assert.IsType<AudioEmbed.Core.Audio.FFmpeg.FFmpegDecoder>(auto);
        Assert.Equal(44100, auto.SampleRate); // ffmpeg applies the SBR: twice the core rate
        Assert.True(FormatTestFiles.ReadAll(auto).Length > 2 * 44100);
    }

    [SkippableFact]
    public void Implicit_sbr_goes_to_ffmpeg_under_auto_and_is_named_under_managed()
    {
        // The ASC says LC, but the first access unit carries an SBR extension payload in a fill element, as an
        // implicitly signalled HE-AAC stream does: the managed decoder would give only the core, so ffmpeg decodes it.
        string lc = AacTones(1, 22050, "48k");
        var bytes = File.ReadAllBytes(lc);
        long offset; uint size;
        using (var stream = File.OpenRead(lc))
        {
            var cursor = Mp4File.Read(stream, lc).Track.Samples.Start();
            Assert.True(cursor.Next(out offset, out size));
        }
        var frame = SilentFrameWithSbrFill((int)size);
        frame.CopyTo(bytes, (int)offset);
        string path = Path.Combine(FormatTestFiles.TempFolder, "implicit-sbr.m4a");
        File.WriteAllBytes(path, bytes);

        var decoder = new AudioEmbed.Core.Audio.Aac.AacDecoder(Mp4File.Read(File.OpenRead(path), path).Track.AudioSpecificConfig!, path);
        decoder.Decode(frame, new float[1024]);
        Assert.True(decoder.SawSbrPayload);

        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(path, new DecoderOptions(DecoderPreference.Managed)));
        Assert.Contains("HE-AAC, implicit SBR", e.Message);
        using var auto = AudioFile.Open(path);
        Assert.IsType<AudioEmbed.Core.Audio.FFmpeg.FFmpegDecoder>(auto);
        // The untouched LC file stays managed: the check finds no SBR there.
        using var plain = AudioFile.Open(lc);
        Assert.IsType<M4aAacSource>(plain);
    }

    /// <summary>
    /// A mono raw_data_block: an SCE with max_sfb 0 (silence), a fill element holding a 2-byte EXT_SBR_DATA payload,
    /// END; zero padding to <paramref name="size"/> bytes.
    /// </summary>
    private static byte[] SilentFrameWithSbrFill(int size)
    {
        var bits = new List<int>();
        void Put(int value, int n) { for (int i = n - 1; i >= 0; i--) bits.Add((value >> i) & 1); }
        Put(0, 3); Put(0, 4);             // SCE, instance tag 0
        Put(100, 8);                      // global_gain
        Put(0, 1); Put(0, 2); Put(0, 1);  // ics_reserved_bit, ONLY_LONG_SEQUENCE, sine window
        Put(0, 6); Put(0, 1);             // max_sfb 0, no prediction
        Put(0, 1); Put(0, 1); Put(0, 1);  // no pulse, TNS, gain control
        Put(6, 3); Put(2, 4);             // FIL, 2 bytes
        Put(13, 4); Put(0, 12);           // extension_type EXT_SBR_DATA and the rest of its 2 bytes
        Put(7, 3);                        // END
        var frame = new byte[Math.Max(size, (bits.Count + 7) / 8)];
        for (int i = 0; i < bits.Count; i++) frame[i / 8] |= (byte)(bits[i] << (7 - i % 8));
        Assert.Equal(size, frame.Length);
        return frame;
    }

    /// <summary>
    /// The file with its esds DecoderSpecificInfo replaced by <paramref name="asc"/>: the descriptor lengths (ffmpeg
    /// writes 4-byte forms) and every enclosing box grow by the difference. moov is last in ffmpeg's output, so no chunk offset moves.
    /// </summary>
    private static string WithAudioSpecificConfig(string m4a, byte[] asc, string name)
    {
        var bytes = File.ReadAllBytes(m4a);
        byte[] old;
        using (var stream = File.OpenRead(m4a)) old = Mp4File.Read(stream, m4a).Track.AudioSpecificConfig!;
        var span = bytes.AsSpan();
        int moov = span.IndexOf("moov"u8) - 4;
        Assert.True(moov > span.IndexOf("mdat"u8), "moov follows mdat");
        int delta = asc.Length - old.Length;
        int at = moov;
        foreach (var type in new[] { "moov", "trak", "mdia", "minf", "stbl", "stsd", "mp4a", "esds" })
        {
            at = span[at..].IndexOf(System.Text.Encoding.ASCII.GetBytes(type)) + at - 4;
            Assert.True(at >= moov, type);
            int boxSize = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(span[at..]);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span[at..], boxSize + delta);
            at += 8;
        }
        int esds = at - 8;
        Assert.Equal(new byte[] { 0x03, 0x80, 0x80, 0x80 }, span.Slice(esds + 12, 4).ToArray());
        Assert.Equal(new byte[] { 0x04, 0x80, 0x80, 0x80 }, span.Slice(esds + 20, 4).ToArray());
        int dsi = esds + 38;
        Assert.Equal(new byte[] { 0x05, 0x80, 0x80, 0x80, (byte)old.Length }, span.Slice(dsi, 5).ToArray());
        bytes[esds + 16] += (byte)delta;
        bytes[esds + 24] += (byte)delta;
        bytes[dsi + 4] = (byte)asc.Length;
        Assert.Equal(old, span.Slice(dsi + 5, old.Length).ToArray());
        var patched = bytes.AsSpan(0, dsi + 5).ToArray().Concat(asc).Concat(bytes.AsSpan(dsi + 5 + old.Length).ToArray()).ToArray();
        string path = Path.Combine(FormatTestFiles.TempFolder, name);
        File.WriteAllBytes(path, patched);
        return path;
    }

    private (float[] Samples, int Rate, int Channels, IAudioSource Kind) AssertMatchesFFmpeg(string m4a)
    {
        var reference = FormatTestFiles.FFmpegDecode(m4a);
        var managed = FormatTestFiles.ManagedDecode(m4a);
        Assert.IsType<M4aAacSource>(managed.Kind);
        Assert.Equal(reference.Rate, managed.Rate);
        Assert.Equal(reference.Channels, managed.Channels);
        Assert.Equal(reference.Samples.Length, managed.Samples.Length);
        Assert.Equal(managed.Samples.Length / managed.Channels, managed.Kind.TotalFrames);
        double max = 0;
        int worst = 0;
        for (int i = 0; i < reference.Samples.Length; i++)
        {
            double d = Math.Abs(reference.Samples[i] - managed.Samples[i]);
            if (d > max) (max, worst) = (d, i);
        }
        output.WriteLine($"{Path.GetFileName(m4a)}: {managed.Samples.Length / managed.Channels} frames, max |delta| {max:E2} at frame {worst / managed.Channels}");
        Assert.True(max <= MaxDelta, $"{Path.GetFileName(m4a)}: frame {worst / managed.Channels} channel {worst % managed.Channels}: ffmpeg {reference.Samples[worst]}, managed {managed.Samples[worst]} (|delta| {max:E2} > {MaxDelta:E0})");
        Assert.Contains(managed.Samples, s => Math.Abs(s) > 0.01f);
        return managed;
    }
}
