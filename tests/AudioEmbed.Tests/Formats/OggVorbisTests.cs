using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Ogg;

namespace AudioEmbed.Tests.Formats;

/// <summary>Ogg Vorbis through NVorbis: ffmpeg's float decode within 1e-6, same sample count; chained and multiplexed files; damage named.</summary>
[Collection(AudioEmbed.Tests.FFmpeg.FFmpegCollection.Name)]
public class OggVorbisTests
{
    private const float Tolerance = 1e-6f;

    [SkippableTheory]
    [InlineData("Kevin_MacLeod_-_Vibe_Ace.ogg", 1355168L)]
    [InlineData("admiralbob77_-_Choice_-_Drum-bass.ogg", 551823L)]
    [InlineData("sorohanro_-_solo-trumpet-06.ogg", 117601L)]
    public void Songs_match_ffmpeg_within_1e6_with_the_same_sample_count(string song, long frames)
    {
        var path = SharedData.Require("audio", song);
        var managed = FormatTestFiles.ManagedDecode(path);
        Assert.IsType<OggVorbisDecoder>(managed.Kind);
        Assert.Equal(frames, managed.Kind.TotalFrames);
        var reference = FormatTestFiles.FFmpegDecode(path);
        Assert.Equal(reference.Rate, managed.Rate);
        Assert.Equal(reference.Channels, managed.Channels);
        Assert.Equal(reference.Samples.Length, managed.Samples.Length);
        Assert.Equal(frames * managed.Channels, managed.Samples.Length);
        float worst = 0;
        for (int i = 0; i < reference.Samples.Length; i++) worst = Math.Max(worst, Math.Abs(reference.Samples[i] - managed.Samples[i]));
        Assert.True(worst <= Tolerance, $"max |managed - ffmpeg| = {worst:E2} (tolerance {Tolerance:E0})");
    }

    [SkippableFact]
    public void Peaks_above_full_scale_are_kept_not_clipped()
    {
        // +8 dB makes the encoder's output exceed 1.0; NVorbis's default ClipSamples would cut it to 1.
        var loud = FormatTestFiles.Make("loud.ogg", "-i", SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg"),
            "-af", "volume=8dB", "-c:a", "libvorbis", "-q:a", "4");
        var managed = FormatTestFiles.ManagedDecode(loud);
        var reference = FormatTestFiles.FFmpegDecode(loud);
        Assert.Contains(reference.Samples, s => Math.Abs(s) > 1f);
        Assert.Equal(reference.Samples.Max(), managed.Samples.Max(), 5);
        // This file (ffmpeg's libvorbis wrapper, whose muxer warns about its last timestamps) ends 128 frames earlier
        // in NVorbis than in ffmpeg; the start is aligned and the samples before the end agree.
        Assert.InRange(reference.Samples.Length - managed.Samples.Length, 0, 256);
        float worst = 0;
        for (int i = 0; i < managed.Samples.Length - 4096; i++) worst = Math.Max(worst, Math.Abs(reference.Samples[i] - managed.Samples[i]));
        Assert.True(worst <= Tolerance, $"max |managed - ffmpeg| = {worst:E2}");
    }

    [SkippableFact]
    public void A_chained_file_of_the_same_format_decodes_as_one_stream_like_ffmpeg()
    {
        var a = SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg");
        var b = SharedData.Require("audio", "admiralbob77_-_Choice_-_Drum-bass.ogg");
        var chained = Path.Combine(FormatTestFiles.TempFolder, "chained.ogg");
        File.WriteAllBytes(chained, File.ReadAllBytes(a).Concat(File.ReadAllBytes(b)).ToArray());
        var managed = FormatTestFiles.ManagedDecode(chained);
        var reference = FormatTestFiles.FFmpegDecode(chained);
        // Each stream trimmed to its own granule positions: exactly the two files' lengths. ffmpeg 5.1 gives 256
        // frames more at the boundary (it does not trim the first stream's end); the first stream's samples agree.
        Assert.Equal(117601 + 551823, managed.Samples.Length);
        Assert.InRange(reference.Samples.Length - managed.Samples.Length, 0, 256);
        float worst = 0;
        for (int i = 0; i < 117601 - 4096; i++) worst = Math.Max(worst, Math.Abs(reference.Samples[i] - managed.Samples[i]));
        Assert.True(worst <= Tolerance, $"max |managed - ffmpeg| in the first stream = {worst:E2}");
    }

    [SkippableFact]
    public void A_chain_that_changes_format_is_refused_naming_the_change()
    {
        var mono = SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg");
        var stereo = FormatTestFiles.Make("stereo-48k.ogg", "-f", "lavfi", "-i", "sine=f=440:d=1:r=48000", "-ac", "2", "-c:a", "libvorbis");
        var chained = Path.Combine(FormatTestFiles.TempFolder, "changing.ogg");
        File.WriteAllBytes(chained, File.ReadAllBytes(mono).Concat(File.ReadAllBytes(stereo)).ToArray());
        var e = Assert.Throws<AudioDecodeException>(() => FormatTestFiles.ManagedDecode(chained));
        Assert.Equal(chained, e.FilePath);
        Assert.Contains("chained Ogg file changes from 1 channels at 22050 Hz to 2 channels at 48000 Hz", e.Message);
    }

    [SkippableFact]
    public void A_multiplexed_file_is_refused_clearly()
    {
        var song = SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg");
        var muxed = FormatTestFiles.Make("multiplexed.ogg", "-i", song, "-i", song, "-map", "0:a", "-map", "1:a", "-c:a", "copy");
        var e = Assert.Throws<AudioDecodeException>(() => FormatTestFiles.ManagedDecode(muxed));
        Assert.Contains("multiplexes 2 streams at once", e.Message);
        // Auto uses the managed decoder for Vorbis too, so the refusal is what the user sees, with the way out in it.
        Assert.Contains("-Decoder FFmpeg", e.Message);
    }

    [SkippableFact]
    public void A_damaged_file_is_an_AudioDecodeException_naming_it()
    {
        var song = File.ReadAllBytes(SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg"));
        var dir = Directory.CreateDirectory(Path.Combine(FormatTestFiles.TempFolder, "damaged-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            // Headers intact, the setup header's codebooks smashed: the reader must refuse, not crash.
            var damaged = (byte[])song.Clone();
            for (int i = 200; i < 3000; i++) damaged[i] = (byte)(i * 37);
            string path = Path.Combine(dir, "damaged.ogg");
            File.WriteAllBytes(path, damaged);
            var e = Assert.Throws<AudioDecodeException>(() => FormatTestFiles.ManagedDecode(path));
            Assert.Equal(path, e.FilePath);

            string cut = Path.Combine(dir, "cut.ogg");
            File.WriteAllBytes(cut, song.AsSpan(0, song.Length / 2).ToArray());
            var half = FormatTestFiles.ManagedDecode(cut); // a file cut short gives the audio before the cut
            Assert.InRange(half.Samples.Length, 30000, 117601);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("\x01vorbis", "Vorbis")]
    [InlineData("OpusHead", "Opus")]
    [InlineData("\u007FFLAC", "FLAC")]
    [InlineData("Speex   ", "Speex")]
    [InlineData("xxxxxxxx", null)]
    public void The_codec_is_named_from_the_first_page(string packet, string? expected)
    {
        var page = new byte[27 + 1 + 30];
        "OggS"u8.CopyTo(page);
        page[5] = 2; // beginning of stream
        page[26] = 1;
        page[27] = 30;
        for (int i = 0; i < packet.Length; i++) page[28 + i] = (byte)packet[i];
        Assert.Equal(expected, OggCodec.Identify(page));
    }
}
