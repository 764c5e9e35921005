using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Aac;
using AudioEmbed.Tests.FFmpeg;

namespace AudioEmbed.Tests.Aac;

/// <summary>
/// Streams written bit by bit for what ffmpeg's encoder never emits: pulse data (checked against a direct evaluation of
/// the standard's formulas and against ffmpeg's decoder), SBR payloads in fill elements (implicit HE-AAC), CRC-protected
/// ADTS headers, and damaged frames.
/// </summary>
[Collection(FFmpegCollection.Name)]
public class AacHandBuiltStreamTests
{
    private const int GlobalGain = 140;
    private const int Rate44100 = 4;

    /// <summary>
    /// One mono frame: two 4-line bands coded with book 1, scalefactor differences 0 and +2, two pulses
    /// (line 1 amplitude 5, line 5 amplitude 2), then END.
    /// </summary>
    private static byte[] PulseFrame(int tuple0, int tuple1, bool pulses = true)
    {
        var w = new AacBitWriter()
            .Bits(AacElementId.SingleChannel, 3).Bits(0, 4)
            .Bits(GlobalGain, 8)
            .Bits(0, 1).Bits(AacWindowSequence.OnlyLong, 2).Bits(0, 1).Bits(2, 6).Bits(0, 1) // ics_info: sine window, max_sfb 2
            .Bits(1, 4).Bits(2, 5)                                                          // one section: book 1, 2 bands
            .Code(0, 60).Code(0, 62);                                                       // scalefactors: +0, +2
        if (pulses) w.Bits(1, 1).Bits(1, 2).Bits(0, 6).Bits(1, 5).Bits(5, 4).Bits(4, 5).Bits(2, 4);
        else w.Bits(0, 1);
        w.Bits(0, 1).Bits(0, 1)                                                             // no TNS, no gain control
            .Code(1, tuple0).Code(1, tuple1)
            .Bits(AacElementId.End, 3);
        return w.ToArray();
    }

    private static int[] Tuple(int index) => new[] { index / 27 - 1, index / 9 % 3 - 1, index / 3 % 3 - 1, index % 3 - 1 };

    [Fact]
    public void Pulse_data_first_frame_equals_the_standards_formulas()
    {
        int t0 = 41, t1 = 77;
        var q = Tuple(t0).Concat(Tuple(t1)).ToArray();
        q[1] += q[1] > 0 ? 5 : -5; // pulses: away from zero, and a zero line goes negative
        q[5] += q[5] > 0 ? 2 : -2;
        var x = new double[1024];
        for (int k = 0; k < 8; k++)
            x[k] = Math.Sign(q[k]) * Math.Pow(Math.Abs(q[k]), 4.0 / 3) * Math.Pow(2, ((k < 4 ? GlobalGain : GlobalGain + 2) - 100) / 4.0);

        var decoder = new AacDecoder(new byte[] { 0x12, 0x08 }); // AAC-LC, 44.1 kHz, mono
        var output = new float[1024];
        decoder.Decode(PulseFrame(t0, t1), output);
        Assert.Equal(2, decoder.ToolUsage.Pulses);

        // First frame: nothing to overlap with, so the output is the first half of the windowed IMDCT (4.6.11.3.1).
        var expected = new float[1024];
        for (int n = 0; n < 1024; n++)
        {
            double y = 0;
            for (int k = 0; k < 8; k++) y += x[k] * Math.Cos(2 * Math.PI / 2048 * (n + 512.5) * (k + 0.5));
            expected[n] = (float)(y / 1024 * Math.Sin(Math.PI / 2048 * (n + 0.5)) / 32768);
        }
        Tolerance.AllClose(expected, output, 1e-6, 1e-4, "pulse frame");
        Assert.True(output.Max(Math.Abs) > 1e-4f); // not a trivially silent frame
    }

    [SkippableFact]
    public void Pulse_data_matches_ffmpeg_over_many_frames()
    {
        var file = new List<byte>();
        for (int f = 0; f < 40; f++) file.AddRange(AacBitWriter.Adts(PulseFrame(f * 7 % 81, (f * 13 + 5) % 81, pulses: f % 3 != 2), Rate44100, 1));
        var dir = Directory.CreateTempSubdirectory("aembed-aac-pulse-");
        try
        {
            string path = Path.Combine(dir.FullName, "pulses.aac");
            File.WriteAllBytes(path, file.ToArray());
            var reference = AacTestSupport.FFmpegDecode(path);
            var (ours, decoder) = AacTestSupport.DecodeManaged(path);
            Assert.Equal(reference.Length, ours.Length);
            Assert.True(decoder.ToolUsage.Pulses > 0);
            Tolerance.AllClose(reference, ours, 1e-6, 0, "pulse stream vs ffmpeg");
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Sbr_payload_in_a_fill_element_is_reported_and_the_core_decoded()
    {
        var frame = new AacBitWriter()
            .Bits(AacElementId.SingleChannel, 3).Bits(0, 4).Bits(100, 8)
            .Bits(0, 1).Bits(0, 2).Bits(0, 1).Bits(0, 6).Bits(0, 1) // max_sfb 0: silence
            .Bits(0, 1).Bits(0, 1).Bits(0, 1)
            .Bits(AacElementId.Fill, 3).Bits(3, 4).Bits(AacElementId.ExtensionSbr, 4).Bits(0xABCDE, 20)
            .Bits(AacElementId.End, 3).ToArray();
        var decoder = new AacDecoder(new byte[] { 0x12, 0x08 });
        Assert.False(decoder.SawSbrPayload);
        var output = new float[1024];
        Assert.Equal(1024, decoder.Decode(frame, output));
        Assert.True(decoder.SawSbrPayload);
        Assert.All(output, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Crc_protected_adts_frames_are_read()
    {
        var file = AacBitWriter.Adts(PulseFrame(40, 40), Rate44100, 1, crc: true)
            .Concat(AacBitWriter.Adts(PulseFrame(41, 40), Rate44100, 1, crc: true)).ToArray();
        var reader = new AdtsFrameReader(file);
        Assert.Equal(44100, reader.SampleRate);
        var frames = reader.ReadAll();
        Assert.Equal(2, frames.Count);
        var decoder = new AacDecoder(reader.AudioSpecificConfig);
        var output = new float[1024];
        foreach (var f in frames) decoder.Decode(f.Span, output);
    }

    [Fact]
    public void Damaged_frames_raise_AudioDecodeException_naming_the_source()
    {
        var good = PulseFrame(41, 77);
        var decoder = new AacDecoder(new byte[] { 0x12, 0x08 }, "song.m4a");
        var output = new float[1024];
        foreach (var bad in new[] { Array.Empty<byte>(), good[..3], good[..(good.Length - 2)], new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, new byte[] { 0x20, 0, 0, 0 } })
        {
            var e = Assert.Throws<AudioDecodeException>(() => decoder.Decode(bad, output));
            Assert.Equal("song.m4a", e.FilePath);
        }
        decoder.Decode(good, output); // and the decoder still works afterwards
    }

    [Fact]
    public void A_stereo_element_in_a_mono_stream_is_refused_clearly()
    {
        var frame = new AacBitWriter().Bits(AacElementId.ChannelPair, 3).Bits(0, 4).Bits(0, 1).Bits(AacElementId.End, 3).ToArray();
        var e = Assert.Throws<AudioDecodeException>(() => new AacDecoder(new byte[] { 0x12, 0x08 }).Decode(frame, new float[1024]));
        Assert.Contains("channel pair element", e.Message);
    }
}
