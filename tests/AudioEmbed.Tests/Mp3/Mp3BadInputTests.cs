using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp3;

namespace AudioEmbed.Tests.Mp3;

/// <summary>The MP3 files of fixtures/corrupt, each handled as its README/index.json expects.</summary>
public class Mp3BadInputTests
{
    [SkippableTheory]
    [InlineData("empty.mp3", "empty")]
    [InlineData("mp3_truncated_in_header.mp3", "not an MPEG audio stream")]
    [InlineData("random_bytes.mp3", "not an MPEG audio stream")]
    [InlineData("png_named.mp3", "not an MPEG audio stream")]
    [InlineData("flac_named_as.mp3", "not MP3")]
    [InlineData("id3_only_no_audio.mp3", "no audio")]
    public void Rejected_with_decode_error_naming_the_file(string file, string problem)
    {
        var path = SharedData.Require("fixtures", "corrupt", file);
        var e = Assert.Throws<AudioDecodeException>(() =>
        {
            using var d = Mp3Decoder.Open(path);
            d.ReadAll();
        });
        Assert.Contains(file, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [SkippableFact]
    public void Truncated_mid_frame_decodes_the_complete_frames()
    {
        var path = SharedData.Require("fixtures", "corrupt", "mp3_truncated_mid_frame.mp3");
        var reference = Mp3TestSupport.ReadPcm16(SharedData.Require("fixtures", "mp3", "l3-si.pcm"));
        var (pcm, channels, _) = Mp3TestSupport.DecodeAll(path, gapless: true);
        Assert.Equal(1, channels);
        Assert.InRange(pcm.Length, 110592, 111744); // index.json decode_sample_frames_range
        var (rms, max) = Mp3TestSupport.Compare16(pcm, 0, reference.AsSpan(0, 110592).ToArray());
        Assert.True(max <= 1.0 / 32768 + 1e-9, $"prefix differs from l3-si.pcm by {max:E3} (> 1 LSB), rms {rms:E3}");
    }

    [SkippableFact]
    public void Garbage_in_the_middle_is_skipped_by_resync()
    {
        var path = SharedData.Require("fixtures", "corrupt", "mp3_garbage_middle.mp3");
        var reference = Mp3TestSupport.ReadPcm16(SharedData.Require("fixtures", "mp3", "l3-si.pcm"));
        var (pcm, _, _) = Mp3TestSupport.DecodeAll(path, gapless: true);
        // index.json: within +-3 frames of the clean decode (135936), at least 133632.
        Assert.InRange(pcm.Length, 133632, 135936 + 3 * 1152);
        // Frames away from the damage (byte 12000 of 24659, about frame 57) match within 1 LSB.
        const int before = 50 * 1152;
        var (_, maxBefore) = Mp3TestSupport.Compare16(pcm, 0, reference.AsSpan(0, before).ToArray());
        Assert.True(maxBefore <= 1.0 / 32768 + 1e-9, $"before the damage: {maxBefore:E3}");
        int tail = 40 * 1152;
        int offset = pcm.Length - 1152 - tail; // both end with the stream's last frame (the reference omits it)
        var (_, maxAfter) = Mp3TestSupport.Compare16(pcm, offset, reference.AsSpan(reference.Length - tail, tail).ToArray());
        Assert.True(maxAfter <= 1.0 / 32768 + 1e-9, $"after the damage: {maxAfter:E3}");
    }

    [Fact]
    public void Layer_II_stream_is_reported_as_unsupported()
    {
        // Two MPEG-1 Layer II frames, 128 kbit/s, 44.1 kHz, stereo: 417 bytes each, silent payload.
        var data = new byte[2 * 417];
        for (int f = 0; f < 2; f++)
        {
            data[f * 417] = 0xFF; data[f * 417 + 1] = 0xFD; data[f * 417 + 2] = 0x80; data[f * 417 + 3] = 0x00;
        }
        var e = Assert.Throws<AudioDecodeException>(() => Mp3Decoder.Open(new MemoryStream(data), "test.mp2"));
        Assert.Contains("Layer I/II is not supported", e.Message);
        Assert.Contains("test.mp2", e.Message);
    }
}
