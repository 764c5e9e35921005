using System.Globalization;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Aac;
using AudioEmbed.Core.Audio.FFmpeg;
using AudioEmbed.Core.Audio.Info;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Formats;

/// <summary>
/// Raw AAC (.aac, ADTS) decoded in-process: files made by ffmpeg's AAC encoder (several rates, mono and stereo, real
/// songs) decode to ffmpeg's float samples within <see cref="MaxDelta"/> (the M4A tests' bound) with exactly ffmpeg's
/// sample count — every frame, the encoder's priming frame included, as ffmpeg trims nothing from ADTS. Also: ADTS is
/// told from MP3 by content (an ID3v2 tag before it allowed), other profiles and implicit HE-AAC go to ffmpeg, and a
/// cut or damaged file ends with a warning or an error naming the file, as ffmpeg's output ends.
/// </summary>
[Collection(AudioEmbed.Tests.FFmpeg.FFmpegCollection.Name)]
public class AacAdtsTests(ITestOutputHelper output)
{
    /// <summary>The M4A AAC tests' bound; measured worst case over these files is in the test output and docs/formats.md.</summary>
    private const double MaxDelta = 1e-5;

    internal static string AdtsSong(string song, string bitrate, params string[] extra) =>
        FormatTestFiles.Make($"adts-{Path.GetFileNameWithoutExtension(song)}-{bitrate}{string.Concat(extra)}.aac",
            [.. AacM4aTests.SongArguments(song, bitrate, extra), "-f", "adts"]);

    internal static string AdtsTones(int channels, int rate, string bitrate, double seconds = 3) =>
        FormatTestFiles.Make($"adts-tones-{channels}-{rate}-{bitrate}-{seconds.ToString(CultureInfo.InvariantCulture)}.aac",
            [.. AacM4aTests.ToneInput(channels, rate, seconds), "-c:a", "aac", "-b:a", bitrate, "-f", "adts"]);

    /// <summary>(offset, length) of every whole ADTS frame after <paramref name="start"/>, walked by their headers.</summary>
    private static List<(int Offset, int Length)> Frames(byte[] b, int start = 0)
    {
        var list = new List<(int, int)>();
        for (int at = start; at + 7 <= b.Length;)
        {
            Assert.True(b[at] == 0xFF && (b[at + 1] & 0xF6) == 0xF0, $"no ADTS header at {at}");
            int length = ((b[at + 3] & 3) << 11) | (b[at + 4] << 3) | (b[at + 5] >> 5);
            if (at + length > b.Length) break;
            list.Add((at, length));
            at += length;
        }
        return list;
    }

    private static string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(FormatTestFiles.TempFolder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [SkippableTheory]
    [InlineData(1, 8000, "16k")]
    [InlineData(1, 22050, "48k")]
    [InlineData(1, 44100, "64k")]
    [InlineData(2, 32000, "96k")]
    [InlineData(2, 44100, "128k")]
    [InlineData(2, 48000, "256k")]
    [InlineData(2, 96000, "192k")]
    public void Generated_signals_decode_as_ffmpeg_does_with_its_sample_count(int channels, int rate, string bitrate)
    {
        string aac = AdtsTones(channels, rate, bitrate);
        var (samples, gotRate, gotChannels) = AssertMatchesFFmpeg(aac);
        Assert.Equal((rate, channels), (gotRate, gotChannels));
        // No priming is skipped (ADTS has no edit list, and ffmpeg trims nothing): every frame's 1024 samples.
        Assert.Equal(Frames(File.ReadAllBytes(aac)).Count * 1024L, samples.Length / channels);
        Assert.True(samples.Length / channels > 3L * rate, "the priming frame is kept");
    }

    [SkippableTheory]
    [InlineData("TRWJAZW128F42760DD_test.mp3", "160k", "-ar", "44100")]
    [InlineData("joram-moments_of_clarity-08-solipsism-59-88.mp3", "128k")]
    [InlineData("Kevin_MacLeod_-_Vibe_Ace.ogg", "96k", "-ar", "48000")]
    [InlineData("sorohanro_-_solo-trumpet-06.ogg", "32k", "-ac", "1")]
    public void Real_songs_converted_to_adts_decode_as_ffmpeg_does(string song, string bitrate, params string[] extra) =>
        AssertMatchesFFmpeg(AdtsSong(song, bitrate, extra));

    [SkippableFact]
    public void Auto_decodes_adts_aac_lc_in_process_and_ffmpeg_preference_still_uses_ffmpeg()
    {
        string aac = AdtsTones(2, 44100, "128k");
        Assert.Equal(AudioFormat.Adts, AudioFormatSniffer.Detect(File.ReadAllBytes(aac).AsSpan(0, AudioFormatSniffer.HeadLength)));
        using (var auto = AudioFile.Open(aac)) Assert.IsType<AdtsAudioSource>(auto);
        using (var forced = AudioFile.Open(aac, AudioEmbed.Tests.FFmpeg.FFmpegTestSupport.ForceFFmpeg)) Assert.IsType<FFmpegDecoder>(forced);
    }

    [SkippableTheory]
    [InlineData(200)]
    [InlineData(300_000)] // longer than the 4 KB the sniffer reads first: cover art makes tags this long
    public void An_id3v2_tag_before_the_frames_is_allowed(int tagBody)
    {
        string aac = AdtsTones(1, 44100, "64k");
        var tag = new byte[10 + tagBody];
        "ID3"u8.CopyTo(tag);
        tag[3] = 4;
        for (int i = 0; i < 4; i++) tag[6 + i] = (byte)((tagBody >> (21 - 7 * i)) & 0x7F);
        for (int i = 10; i < tag.Length; i++) tag[i] = (byte)(i % 7 == 0 ? 0xFF : 0x20); // sync-like bytes inside the tag must not matter
        string tagged = Write($"tagged-{tagBody}.aac", tag.Concat(File.ReadAllBytes(aac)).ToArray());
        Assert.Equal(AudioFormat.Adts, AudioFile.Sniff(tagged).Format);
        var plain = FormatTestFiles.ManagedDecode(aac);
        var withTag = FormatTestFiles.ManagedDecode(tagged);
        Assert.IsType<AdtsAudioSource>(withTag.Kind);
        Assert.Equal(plain.Samples, withTag.Samples);
        Assert.Equal(FormatTestFiles.FFmpegDecode(tagged).Samples.Length, withTag.Samples.Length);
        Assert.Equal(("ADTS", 44100, 1), (AudioFileInfo.Read(tagged).Container, AudioFileInfo.Read(tagged).SampleRate, AudioFileInfo.Read(tagged).Channels));
    }

    [SkippableFact]
    public void Mp3_files_are_never_taken_for_adts()
    {
        // Both start with a 0xFFF sync; MP3's layer bits are never 00. Real songs, conformance vectors (ID3v1/v2, APE
        // tags, free format, MPEG-2/2.5) and the corrupt corpus's MP3s.
        var files = Directory.GetFiles(Path.GetDirectoryName(SharedData.Require("audio", "TRWJAZW128F42760DD_test.mp3"))!, "*.mp3")
            .Concat(Directory.GetFiles(Path.GetDirectoryName(SharedData.Require("fixtures", "mp3", "l3-compl.mp3"))!, "*.mp3"))
            .ToList();
        Assert.True(files.Count >= 10);
        foreach (var mp3 in files)
        {
            Assert.NotEqual((mp3, AudioFormat.Adts), (mp3, AudioFile.Sniff(mp3).Format));
            var head = File.ReadAllBytes(mp3).AsSpan();
            Assert.False(AdtsHeader.StartsStream(head), mp3);
        }
        // Every real song and all but one conformance vector sniff as MP3 (l3-nonstandard-small.mp3, a few bytes, never did).
        Assert.All(files.Where(f => !f.EndsWith("l3-nonstandard-small.mp3")), f => Assert.Equal((f, AudioFormat.Mp3), (f, AudioFile.Sniff(f).Format)));
        using var song = AudioFile.Open(files[0]);
        Assert.IsType<AudioEmbed.Core.Audio.Mp3.Mp3Decoder>(song);
    }

    [SkippableTheory]
    [InlineData(0, "AAC Main")]
    [InlineData(2, "AAC SSR")]
    [InlineData(3, "AAC LTP")]
    public void Other_profiles_go_to_ffmpeg_under_auto_and_are_named_under_managed(int profile, string name)
    {
        var bytes = File.ReadAllBytes(AdtsTones(1, 22050, "48k"));
        foreach (var (offset, _) in Frames(bytes)) bytes[offset + 2] = (byte)((bytes[offset + 2] & 0x3F) | (profile << 6));
        string path = Write($"profile-{profile}.aac", bytes);
        Assert.Equal(AudioFormat.Adts, AudioFile.Sniff(path).Format);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(path, new DecoderOptions(DecoderPreference.Managed)));
        Assert.Equal(path, e.FilePath);
        Assert.Contains($"AAC (ADTS) ({name}) audio needs ffmpeg", e.Message);
        Assert.Contains($"this file's ADTS header says {name}", e.Message);
        using var auto = AudioFile.Open(path);
        Assert.IsType<FFmpegDecoder>(auto);
    }

    [SkippableFact]
    public void Implicit_sbr_goes_to_ffmpeg_under_auto_and_is_named_under_managed()
    {
        // ADTS has no profile value for HE-AAC: an HE-AAC stream says LC and carries SBR data in fill elements.
        var bytes = File.ReadAllBytes(AdtsTones(1, 22050, "48k"));
        var (offset, length) = Frames(bytes)[0];
        bool crc = (bytes[offset + 1] & 1) == 0;
        int header = crc ? 9 : 7;
        SilentFrameWithSbrFill(length - header).CopyTo(bytes, offset + header);
        string path = Write("implicit-sbr.aac", bytes);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFile.Open(path, new DecoderOptions(DecoderPreference.Managed)));
        Assert.Contains("AAC (ADTS) (HE-AAC, implicit SBR) audio needs ffmpeg", e.Message);
        using var auto = AudioFile.Open(path);
        Assert.IsType<FFmpegDecoder>(auto);
    }

    [SkippableFact]
    public void A_file_cut_mid_frame_decodes_what_ffmpeg_decodes_and_reports_truncated_audio()
    {
        var bytes = File.ReadAllBytes(AdtsTones(2, 44100, "128k"));
        var frames = Frames(bytes);
        var (offset, length) = frames[100];
        string path = Write("cut.aac", bytes.AsSpan(0, offset + length / 2).ToArray());
        var reference = FormatTestFiles.FFmpegDecode(path);
        using var source = AudioFile.Open(path);
        var samples = FormatTestFiles.ReadAll(source);
        Assert.Equal(100 * 1024 * 2, samples.Length); // the whole frames; the cut one is dropped, as ffmpeg drops it
        Assert.Equal(reference.Samples.Length, samples.Length);
        Assert.True(Tolerance.MaxAbsDiff(reference.Samples, samples) <= MaxDelta);
        var truncated = TruncatedAudio.Check(source, samples.Length / 2);
        Assert.NotNull(truncated);
        Assert.Equal((101 * 1024L, 100 * 1024L), (truncated!.DeclaredFrames, truncated.DecodedFrames));
        // A whole file reports nothing.
        using var whole = AudioFile.Open(AdtsTones(2, 44100, "128k"));
        Assert.Null(TruncatedAudio.Check(whole, FormatTestFiles.ReadAll(whole).Length / 2));
    }

    [SkippableFact]
    public void Junk_between_frames_and_a_trailing_id3v1_tag_are_skipped_as_ffmpeg_skips_them()
    {
        var bytes = File.ReadAllBytes(AdtsTones(1, 44100, "64k"));
        int at = Frames(bytes)[10].Offset;
        var junk = Enumerable.Range(1, 100).Select(i => (byte)i).ToArray();
        string path = Write("junk.aac", bytes.AsSpan(0, at).ToArray().Concat(junk).Concat(bytes.AsSpan(at).ToArray()).ToArray());
        var (samples, _, _) = AssertMatchesFFmpeg(path);
        Assert.Equal(Frames(bytes).Count * 1024, samples.Length);
        // A false sync word in the junk: every real frame still decodes (ffmpeg 5.1 loses two frames there).
        string falseSync = Write("junk-sync.aac", bytes.AsSpan(0, at).ToArray().Concat(junk).Append((byte)0xFF).Append((byte)0xF1).Concat(bytes.AsSpan(at).ToArray()).ToArray());
        Assert.Equal(samples, FormatTestFiles.ManagedDecode(falseSync).Samples);
        // A trailing ID3v1 tag ("TAG" + 125 bytes of text) is not audio either.
        var id3v1 = "TAG"u8.ToArray().Concat(System.Text.Encoding.ASCII.GetBytes("Title".PadRight(30) + "Artist".PadRight(30) + "Album".PadRight(30) + "2026" + "comment".PadRight(30))).Append((byte)12).ToArray();
        Assert.Equal(128, id3v1.Length);
        string tagged = Write("id3v1.aac", bytes.Concat(id3v1).ToArray());
        var (taggedSamples, _, _) = AssertMatchesFFmpeg(tagged);
        Assert.Equal(FormatTestFiles.ManagedDecode(AdtsTones(1, 44100, "64k")).Samples, taggedSamples);
    }

    [SkippableFact]
    public void Frames_with_a_crc_decode_as_ffmpeg_decodes_them()
    {
        // protection_absent = 0: two CRC bytes follow each 7-byte header (ffmpeg's encoder writes none; some others do).
        var bytes = File.ReadAllBytes(AdtsTones(2, 44100, "128k"));
        var withCrc = new List<byte>();
        foreach (var (offset, length) in Frames(bytes))
        {
            var header = bytes.AsSpan(offset, 7).ToArray();
            header[1] &= 0xFE;
            int newLength = length + 2;
            header[3] = (byte)((header[3] & 0xFC) | (newLength >> 11));
            header[4] = (byte)(newLength >> 3);
            header[5] = (byte)((header[5] & 0x1F) | ((newLength & 7) << 5));
            withCrc.AddRange(header);
            withCrc.AddRange(new byte[] { 0x12, 0x34 });
            withCrc.AddRange(bytes.AsSpan(offset + 7, length - 7).ToArray());
        }
        string path = Write("crc.aac", withCrc.ToArray());
        var (samples, _, _) = AssertMatchesFFmpeg(path);
        Assert.Equal(FormatTestFiles.ManagedDecode(AdtsTones(2, 44100, "128k")).Samples, samples);
    }

    [SkippableFact]
    public void Damaged_frame_data_is_an_error_naming_the_file_and_offset_never_a_hang()
    {
        var bytes = File.ReadAllBytes(AdtsTones(2, 44100, "128k"));
        var (offset, length) = Frames(bytes)[20];
        for (int i = offset + 9; i < offset + length; i++) bytes[i] = 0xFF; // the raw data block: all ones
        string path = Write("damaged.aac", bytes);
        var e = Assert.Throws<AudioDecodeException>(() =>
        {
            using var source = AudioFile.Open(path, new DecoderOptions(DecoderPreference.Managed));
            FormatTestFiles.ReadAll(source);
        });
        Assert.Equal(path, e.FilePath);
        Assert.Equal(offset, e.ByteOffset);
    }

    [SkippableTheory]
    [InlineData(1, 44100, "64k", 3)]   // 131 frames: the header walk reaches the end, so the count is exact
    [InlineData(2, 48000, "128k", 30)] // 1408 frames: estimated from the first 512 frames' size
    public void File_info_reads_the_adts_headers(int channels, int rate, string bitrate, double seconds)
    {
        string aac = AdtsTones(channels, rate, bitrate, seconds);
        var info = AudioFileInfo.Read(aac);
        Assert.Equal(("ADTS AAC (LC)", "ADTS", "AAC (LC)", "Managed"), (info.Format, info.Container, info.Codec, info.Decoder));
        Assert.Equal((rate, channels), (info.SampleRate, info.Channels));
        Assert.Null(info.BitsPerSample);
        long decoded = Frames(File.ReadAllBytes(aac)).Count * 1024L;
        bool exact = seconds < 5;
        Assert.Equal(!exact, info.DurationIsEstimate);
        if (exact) Assert.Equal(decoded, info.Frames);
        else Assert.Null(info.Frames);
        double truth = (double)decoded / rate;
        output.WriteLine($"{Path.GetFileName(aac)}: duration {info.Duration!.Value.TotalSeconds:0.0000} s (estimate: {info.DurationIsEstimate}), decoded {truth:0.0000} s, bitrate {info.Bitrate}");
        Assert.InRange(info.Duration!.Value.TotalSeconds, truth * 0.97, truth * 1.03);
        Assert.InRange(info.Bitrate!.Value, int.Parse(bitrate.TrimEnd('k')) * 1000 * 0.8, int.Parse(bitrate.TrimEnd('k')) * 1000 * 1.2);
    }

    /// <summary>A mono raw_data_block: a silent SCE, a fill element holding an EXT_SBR_DATA payload, END; zero padded.</summary>
    private static byte[] SilentFrameWithSbrFill(int size)
    {
        var bits = new List<int>();
        void Put(int value, int n) { for (int i = n - 1; i >= 0; i--) bits.Add((value >> i) & 1); }
        Put(0, 3); Put(0, 4); Put(100, 8);
        Put(0, 1); Put(0, 2); Put(0, 1); Put(0, 6); Put(0, 1);
        Put(0, 1); Put(0, 1); Put(0, 1);
        Put(6, 3); Put(2, 4); Put(13, 4); Put(0, 12);
        Put(7, 3);
        var frame = new byte[size];
        Assert.True(size * 8 >= bits.Count);
        for (int i = 0; i < bits.Count; i++) frame[i / 8] |= (byte)(bits[i] << (7 - i % 8));
        return frame;
    }

    private (float[] Samples, int Rate, int Channels) AssertMatchesFFmpeg(string aac)
    {
        var reference = FormatTestFiles.FFmpegDecode(aac);
        var managed = FormatTestFiles.ManagedDecode(aac);
        Assert.IsType<AdtsAudioSource>(managed.Kind);
        Assert.Equal((reference.Rate, reference.Channels), (managed.Rate, managed.Channels));
        Assert.Equal(reference.Samples.Length, managed.Samples.Length);
        double max = 0;
        int worst = 0;
        for (int i = 0; i < reference.Samples.Length; i++)
        {
            double d = Math.Abs(reference.Samples[i] - managed.Samples[i]);
            if (d > max) (max, worst) = (d, i);
        }
        output.WriteLine($"{Path.GetFileName(aac)}: {managed.Samples.Length / managed.Channels} frames, max |delta| {max:E2} at frame {worst / managed.Channels}");
        Assert.True(max <= MaxDelta, $"{Path.GetFileName(aac)}: frame {worst / managed.Channels}: ffmpeg {reference.Samples[worst]}, managed {managed.Samples[worst]} (|delta| {max:E2} > {MaxDelta:E0})");
        Assert.Contains(managed.Samples, s => Math.Abs(s) > 0.01f);
        return (managed.Samples, managed.Rate, managed.Channels);
    }
}
