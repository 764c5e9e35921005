using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp4;

namespace AudioEmbed.Tests.Formats;

/// <summary>ALAC in M4A decodes bit-exactly as ffmpeg does (same floats, same count, same channel order), 16 and 24 bit, mono to 8 channels.</summary>
[Collection(AudioEmbed.Tests.FFmpeg.FFmpegCollection.Name)]
public class AlacTests
{
    [SkippableTheory]
    [InlineData("sorohanro_-_solo-trumpet-06.ogg", "s16p")]
    [InlineData("sorohanro_-_solo-trumpet-06.ogg", "s32p")]
    [InlineData("admiralbob77_-_Choice_-_Drum-bass.ogg", "s16p")]
    [InlineData("Kevin_MacLeod_-_Vibe_Ace.ogg", "s32p")]
    public void Songs_decode_bit_exactly_as_ffmpeg(string song, string sampleFormat)
    {
        var m4a = FormatTestFiles.AlacSong(song, sampleFormat);
        AssertBitExact(m4a, sampleFormat == "s16p" ? 16 : 24);
    }

    [SkippableTheory]
    [InlineData(1, "mono", "s16p")]
    [InlineData(2, "stereo", "s16p")]
    [InlineData(2, "stereo", "s32p")]
    [InlineData(3, "3.0", "s16p")]
    [InlineData(4, "4.0", "s32p")]
    [InlineData(5, "5.0(side)", "s16p")]
    [InlineData(6, "5.1(side)", "s32p")]
    [InlineData(7, "6.1", "s16p")]
    [InlineData(8, "7.1(wide)", "s32p")]
    public void Generated_signals_decode_bit_exactly_as_ffmpeg_mono_to_8_channels(int channels, string layout, string sampleFormat)
    {
        var m4a = FormatTestFiles.AlacTones(channels, layout, sampleFormat);
        var (_, _, got, _) = AssertBitExact(m4a, sampleFormat == "s16p" ? 16 : 24);
        Assert.Equal(channels, got);
    }

    private static (float[] Samples, int Rate, int Channels, IAudioSource Kind) AssertBitExact(string m4a, int bits)
    {
        var reference = FormatTestFiles.FFmpegDecode(m4a);
        var managed = FormatTestFiles.ManagedDecode(m4a);
        Assert.IsType<M4aAlacSource>(managed.Kind);
        Assert.Equal(bits, ((M4aAlacSource)managed.Kind).BitsPerSample);
        Assert.Equal(reference.Rate, managed.Rate);
        Assert.Equal(reference.Channels, managed.Channels);
        Assert.Equal(reference.Samples.Length, managed.Samples.Length);
        for (int i = 0; i < reference.Samples.Length; i++)
            if (reference.Samples[i] != managed.Samples[i])
                Assert.Fail($"sample {i / managed.Channels} channel {i % managed.Channels}: ffmpeg {reference.Samples[i]}, managed {managed.Samples[i]}");
        Assert.Contains(managed.Samples, s => s != 0);
        return managed;
    }
}
