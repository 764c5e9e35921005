using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Aac;

namespace AudioEmbed.Tests.Aac;

/// <summary>AudioSpecificConfig: AAC-LC accepted at every rate, other profiles refused with a message that names them.</summary>
public class AacConfigTests
{
    private static byte[] Asc(int aot, int sfIndex, int channels, int gaBits = 0, int gaCount = 3)
    {
        var w = new AacBitWriter();
        if (aot >= 31) w.Bits(31, 5).Bits(aot - 32, 6); else w.Bits(aot, 5);
        w.Bits(sfIndex, 4).Bits(channels, 4).Bits(gaBits, gaCount);
        return w.ToArray();
    }

    [Theory]
    [InlineData(0, 96000)]
    [InlineData(3, 48000)]
    [InlineData(4, 44100)]
    [InlineData(7, 22050)]
    [InlineData(8, 16000)]
    [InlineData(11, 8000)]
    public void Lc_configs_are_accepted(int sfIndex, int rate)
    {
        var mono = new AacDecoder(Asc(2, sfIndex, 1));
        Assert.Equal((rate, 1), (mono.SampleRate, mono.Channels));
        var stereo = new AacDecoder(Asc(2, sfIndex, 2));
        Assert.Equal((rate, 2), (stereo.SampleRate, stereo.Channels));
    }

    [Theory]
    [InlineData(5, "HE-AAC (SBR)")]
    [InlineData(29, "HE-AAC v2")]
    [InlineData(1, "AAC Main")]
    [InlineData(4, "AAC LTP")]
    [InlineData(23, "AAC-LD")]
    [InlineData(39, "AAC-ELD")]
    [InlineData(42, "USAC")]
    public void Other_profiles_are_refused_by_name(int aot, string name)
    {
        var e = Assert.Throws<AudioDecodeException>(() => new AacDecoder(Asc(aot, 4, 2), "x.m4a"));
        Assert.Contains(name, e.Message);
        Assert.Contains($"audio object type {aot}", e.Message);
        Assert.Contains("ffmpeg", e.Message);
    }

    [Fact]
    public void Backward_compatible_sbr_signalling_is_refused_as_he_aac()
    {
        // AAC-LC 22.05 kHz stereo, then sync extension 0x2b7, object type 5, sbrPresentFlag 1, extension rate index 3.
        var asc = new AacBitWriter().Bits(2, 5).Bits(7, 4).Bits(2, 4).Bits(0, 3).Bits(0x2b7, 11).Bits(5, 5).Bits(1, 1).Bits(3, 4).ToArray();
        var e = Assert.Throws<AudioDecodeException>(() => new AacDecoder(asc));
        Assert.Contains("HE-AAC", e.Message);
        var noSbr = new AacBitWriter().Bits(2, 5).Bits(7, 4).Bits(2, 4).Bits(0, 3).Bits(0x2b7, 11).Bits(5, 5).Bits(0, 1).ToArray();
        Assert.Equal(22050, new AacDecoder(noSbr).SampleRate);
    }

    [Theory]
    [InlineData(6, "5.1")]
    [InlineData(3, "3 channels")]
    public void Multichannel_layouts_are_refused_by_name(int config, string name)
    {
        var e = Assert.Throws<AudioDecodeException>(() => new AacDecoder(Asc(2, 3, config)));
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Broken_configs_are_refused()
    {
        Assert.Throws<AudioDecodeException>(() => new AacDecoder(ReadOnlySpan<byte>.Empty));
        Assert.Throws<AudioDecodeException>(() => new AacDecoder(new byte[] { 0x12 }));
        Assert.Contains("960", Assert.Throws<AudioDecodeException>(() => new AacDecoder(Asc(2, 4, 2, 0b100))).Message);
        Assert.Contains("reserved", Assert.Throws<AudioDecodeException>(() => new AacDecoder(Asc(2, 13, 2))).Message);
    }

    [Fact]
    public void A_program_config_element_declaring_one_stereo_pair_is_read()
    {
        var w = new AacBitWriter().Bits(2, 5).Bits(4, 4).Bits(0, 4).Bits(0, 3) // channel configuration 0: a PCE follows
            .Bits(0, 4).Bits(1, 2).Bits(4, 4)                                   // tag, object type, rate index
            .Bits(1, 4).Bits(0, 4).Bits(0, 4).Bits(0, 2).Bits(0, 3).Bits(0, 4)  // one front element
            .Bits(0, 1).Bits(0, 1).Bits(0, 1)
            .Bits(1, 1).Bits(0, 4);                                             // it is a CPE
        while (w.BitCount % 8 != 0) w.Bits(0, 1);
        w.Bits(0, 8);                                                           // no comment
        Assert.Equal(2, new AacDecoder(w.ToArray()).Channels);
    }
}
