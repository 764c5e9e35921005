using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Info;

namespace AudioEmbed.Tests.AudioInfo;

/// <summary>Header facts of WAV, FLAC and MP3 fixtures, against the numbers in their READMEs/index.json.</summary>
public class AudioFileInfoManagedTests
{
    [SkippableTheory]
    [InlineData("pcm_s16_stereo_44100.wav", "WAV PCM 16-bit", 44100, 2, 16, 11025L)]
    [InlineData("pcm_u8_mono_8000.wav", "WAV PCM 8-bit unsigned", 8000, 1, 8, 4000L)]
    [InlineData("ext_float32_stereo_32000.wav", "WAV IEEE float 32-bit", 32000, 2, 32, 6400L)]
    [InlineData("ext_s24in32_mono_44100.wav", "WAV PCM 24-bit in 32-bit container", 44100, 1, 24, 8820L)]
    [InlineData("ffmpeg_rf64_s16_stereo_48000.wav", "RF64 PCM 16-bit", 48000, 2, 16, 9600L)]
    [InlineData("streamed_size_ffffffff.wav", "WAV PCM 16-bit", 44100, 2, 16, 8820L)]
    [InlineData("data_size_exceeds_file.wav", "WAV PCM 16-bit", 16000, 1, 16, 3200L)]
    public void Wav(string name, string format, int rate, int channels, int bits, long frames)
    {
        var path = SharedData.Require("fixtures", "wav", name);
        var info = AudioFileInfo.Read(path);
        Assert.Equal(format, info.Format);
        Assert.Equal(rate, info.SampleRate);
        Assert.Equal(channels, info.Channels);
        Assert.Equal(bits, info.BitsPerSample);
        Assert.Equal(frames, info.Frames);
        Assert.Equal((double)frames / rate, info.Duration!.Value.TotalSeconds, 6);
        Assert.False(info.DurationIsEstimate);
        Assert.Equal(new FileInfo(path).Length, info.FileSize);
        Assert.Equal("Managed", info.Decoder);
        Assert.Equal(Path.GetFullPath(path), info.Path);
    }

    [SkippableTheory]
    [InlineData("subset-01-blocksize_4096.flac", 44100, 2, 16, 308700L)]
    [InlineData("subset-19-samplerate_35467Hz.flac", 35467, 2, 16, 353378L)]
    [InlineData("subset-22-12_bit_per_sample.flac", 44100, 2, 12, 218666L)]
    [InlineData("subset-41-6_channels_5.1.flac", 44100, 6, 16, 357223L)]
    public void Flac(string name, int rate, int channels, int bits, long frames)
    {
        var path = SharedData.Require("fixtures", "flac", name);
        var info = AudioFileInfo.Read(path);
        Assert.Equal("FLAC", info.Format);
        Assert.Equal((rate, channels, bits, frames), (info.SampleRate, info.Channels, info.BitsPerSample!.Value, info.Frames!.Value));
        Assert.Equal((double)frames / rate, info.Duration!.Value.TotalSeconds, 6);
        Assert.InRange(info.Bitrate!.Value, 1, (long)rate * channels * bits); // compressed: below the PCM rate
    }

    [SkippableFact]
    public void Flac_without_a_total_has_no_duration()
    {
        var info = AudioFileInfo.Read(SharedData.Require("fixtures", "flac", "subset-45-no_total_number_of_samples_set.flac"));
        Assert.Equal(48000, info.SampleRate);
        Assert.Null(info.Frames);
        Assert.Null(info.Duration);
    }

    /// <summary>TRWJAZW: MPEG-2 Layer III with a LAME tag: 660340 frames after gapless trimming = 29.947 s (musicnn meta.json).</summary>
    [SkippableFact]
    public void Song_with_a_lame_tag_has_the_exact_gapless_duration()
    {
        var info = AudioFileInfo.Read(SharedData.Require("audio", "TRWJAZW128F42760DD_test.mp3"));
        Assert.Equal("MP3 (MPEG-2 Layer III)", info.Format);
        Assert.Equal(22050, info.SampleRate);
        Assert.Equal(2, info.Channels);
        Assert.Null(info.BitsPerSample);
        Assert.Equal(660340L, info.Frames);
        Assert.Equal(29.95, info.Duration!.Value.TotalSeconds, 2);
        Assert.False(info.DurationIsEstimate);
        Assert.Equal(64000L, info.Bitrate); // CBR 64 kbit/s (ffprobe says the same)
    }

    /// <summary>
    /// joram: no Xing frame, so the duration is estimated from bytes and bitrate: 116496 audio bytes (after the
    /// ID3v2 and ID3v1 tags) at 32 kbit/s = 29.124 s, which is exactly the 465984 decoded frames at 16 kHz.
    /// </summary>
    [SkippableFact]
    public void Cbr_song_without_xing_gets_an_estimated_duration()
    {
        var info = AudioFileInfo.Read(SharedData.Require("audio", "joram-moments_of_clarity-08-solipsism-59-88.mp3"));
        Assert.Equal("MP3 (MPEG-2 Layer III)", info.Format);
        Assert.Equal((16000, 1), (info.SampleRate, info.Channels));
        Assert.Null(info.Frames);
        Assert.True(info.DurationIsEstimate);
        Assert.Equal(465984 / 16000.0, info.Duration!.Value.TotalSeconds, 3);
        Assert.Equal(32000L, info.Bitrate);
    }

    /// <summary>Conformance vectors (mp3/index.json): version, rate, channels; CBR duration within two frames of stream_frames.</summary>
    [SkippableTheory]
    [InlineData("l3-compl.mp3", "MPEG-1", 48000, 1, 217, 64)]
    [InlineData("M2L3_noise.mp3", "MPEG-2", 22050, 2, 0, 0)]
    [InlineData("mpeg25_8000_mono.mp3", "MPEG-2.5", 8000, 1, 0, 0)]
    public void Mp3_vectors(string name, string version, int rate, int channels, int cbrFrames, int cbrKbps)
    {
        var info = AudioFileInfo.Read(SharedData.Require("fixtures", "mp3", name));
        Assert.Equal($"MP3 ({version} Layer III)", info.Format);
        Assert.Equal((rate, channels), (info.SampleRate, info.Channels));
        Assert.NotNull(info.Duration);
        if (cbrFrames > 0)
        {
            Assert.Equal(cbrKbps * 1000L, info.Bitrate);
            double frameSeconds = 1152.0 / rate;
            Assert.InRange(info.Duration!.Value.TotalSeconds, (cbrFrames - 2) * frameSeconds, (cbrFrames + 2) * frameSeconds);
        }
    }

    [SkippableTheory]
    [InlineData("empty.mp3")]
    [InlineData("empty.wav")]
    [InlineData("random_bytes.mp3")]
    [InlineData("random_bytes.flac")]
    [InlineData("random_bytes.wav")]
    [InlineData("png_named.mp3")]
    [InlineData("wav_truncated_in_header.wav")]
    [InlineData("wav_samplerate0_huge_size.wav")]
    [InlineData("wav_zero_channels.wav")]
    [InlineData("flac_truncated_in_metadata.flac")]
    [InlineData("mp3_truncated_in_header.mp3")]
    [InlineData("id3_only_no_audio.mp3")]
    public void Corrupt_files_are_decode_errors(string name)
    {
        var path = SharedData.Require("fixtures", "corrupt", name);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFileInfo.Read(path));
        Assert.Contains(Path.GetFileName(path), e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_decode_error()
    {
        var e = Assert.Throws<AudioDecodeException>(() => AudioFileInfo.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".mp3")));
        Assert.Contains(".mp3", e.Message);
    }
}
