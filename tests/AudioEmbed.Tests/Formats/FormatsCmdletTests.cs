using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Formats;

/// <summary>
/// The user's view, through the built module (NVorbis loads from its dependencies folder in the module's own load
/// context): MusiCNN embeddings of Ogg Vorbis and ALAC M4A with -Decoder Managed equal the ffmpeg path's, and need no ffmpeg.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class FormatsCmdletTests
{
    /// <summary>ALAC is bit-exact, so its embedding is identical; Vorbis differs from ffmpeg's float decode by at most 1e-6.</summary>
    private const double MinCosine = 0.999999;

    [SkippableFact]
    public void Ogg_and_alac_embed_managed_like_the_ffmpeg_path_and_without_ffmpeg()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var ogg = SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg");
        var alac = FormatTestFiles.AlacSong("sorohanro_-_solo-trumpet-06.ogg", "s16p", 6);
        using var host = new ModuleHost();
        string files = $"-LiteralPath '{ogg}', '{alac}' -ThrottleLimit 1";
        var viaFFmpeg = host.Run($"Get-AudioEmbedding {files} -Decoder FFmpeg").ThrowIfErrors().All<AudioEmbedding>().ToList();
        // No ffmpeg at all: a path that does not exist is what a machine without ffmpeg looks like to the locator.
        var managed = host.Run($"Get-AudioEmbedding {files} -Decoder Managed -FFmpegPath '/nonexistent/ffmpeg'").ThrowIfErrors().All<AudioEmbedding>().ToList();
        var auto = host.Run($"Get-AudioEmbedding {files} -FFmpegPath '/nonexistent/ffmpeg'").ThrowIfErrors().All<AudioEmbedding>().ToList();
        Assert.Equal(2, viaFFmpeg.Count);
        Assert.Equal(2, managed.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(viaFFmpeg[i].Vector.Length, managed[i].Vector.Length);
            double cosine = Similarity.Cosine(viaFFmpeg[i].Vector, managed[i].Vector);
            Assert.True(cosine >= MinCosine, $"file {i}: cosine {cosine:F8} to the ffmpeg path (minimum {MinCosine})");
            Assert.Equal(managed[i].Vector, auto[i].Vector);
        }
        Assert.Equal(viaFFmpeg[1].Vector, managed[1].Vector); // ALAC: the same samples, so the same embedding

        var info = host.Run($"Get-AudioFileInfo -LiteralPath '{ogg}', '{alac}' -Decoder Managed").ThrowIfErrors();
        Assert.Equal(new[] { "Ogg Vorbis", "MP4 ALAC" }, info.Output.Select(o => (string)o.Properties["Format"].Value));
    }
}
