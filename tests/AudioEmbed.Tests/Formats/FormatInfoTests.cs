using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Info;

namespace AudioEmbed.Tests.Formats;

/// <summary>Get-AudioFileInfo's managed readers for Ogg Vorbis and M4A: the same facts as ffprobe, from the headers only.</summary>
[Collection(AudioEmbed.Tests.FFmpeg.FFmpegCollection.Name)]
public class FormatInfoTests
{
    [SkippableTheory]
    [InlineData("Kevin_MacLeod_-_Vibe_Ace.ogg", 1355168L)]
    [InlineData("admiralbob77_-_Choice_-_Drum-bass.ogg", 551823L)]
    [InlineData("sorohanro_-_solo-trumpet-06.ogg", 117601L)]
    public void Ogg_vorbis_headers_give_ffprobes_facts(string song, long frames)
    {
        var path = SharedData.Require("audio", song);
        var info = AudioFileInfo.Read(path);
        Assert.Equal(("Ogg Vorbis", "Ogg", "Vorbis", "Managed"), (info.Format, info.Container, info.Codec, info.Decoder));
        Assert.Equal((22050, 1), (info.SampleRate, info.Channels));
        Assert.Equal(frames, info.Frames);
        Assert.Equal(frames / 22050.0, info.Duration!.Value.TotalSeconds, 5);
        AudioEmbed.Tests.FFmpeg.FFmpegTestSupport.RequireProbe();
        var probe = AudioFileInfo.Read(path, new DecoderOptions(DecoderPreference.FFmpeg));
        Assert.Equal(probe.Duration!.Value.TotalSeconds, info.Duration!.Value.TotalSeconds, 5);
    }

    [SkippableFact]
    public void Alac_m4a_headers_give_ffprobes_facts()
    {
        var m4a = FormatTestFiles.AlacTones(6, "5.1(side)", "s32p");
        var info = AudioFileInfo.Read(m4a);
        Assert.Equal(("MP4 ALAC", "MP4", "ALAC", "Managed"), (info.Format, info.Container, info.Codec, info.Decoder));
        Assert.Equal((44100, 6, 24), (info.SampleRate, info.Channels, info.BitsPerSample));
        var probe = AudioFileInfo.Read(m4a, new DecoderOptions(DecoderPreference.FFmpeg));
        Assert.Equal(probe.Duration!.Value.TotalSeconds, info.Duration!.Value.TotalSeconds, 3);
        Assert.Equal(3 * 44100, info.Frames);
    }

    [SkippableFact]
    public void A_damaged_first_page_is_an_error_naming_it()
    {
        var path = SharedData.Require("audio", "Kevin_MacLeod_-_Vibe_Ace.ogg");
        var bytes = File.ReadAllBytes(path);
        bytes[40] ^= 0xFF;
        string damaged = Path.Combine(Path.GetTempPath(), $"aembed-ogginfo-{Guid.NewGuid():N}.ogg");
        File.WriteAllBytes(damaged, bytes);
        try
        {
            var e = Assert.Throws<AudioDecodeException>(() => AudioFileInfo.Read(damaged));
            Assert.Contains("first Ogg page is damaged", e.Message);
        }
        finally { File.Delete(damaged); }
    }
}
