using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Formats;

/// <summary>
/// The user's view, through the built module (NVorbis loads from its dependencies folder in the module's own load
/// context): MusiCNN embeddings of Ogg Vorbis and ALAC M4A with -Decoder Managed equal the ffmpeg path's, and need no ffmpeg.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class FormatsCmdletTests(Xunit.Abstractions.ITestOutputHelper output)
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

    /// <summary>AAC-LC M4A: the managed decode is within 3.6e-7 of ffmpeg's floats (Formats/AacM4aTests), so the embedding is too.</summary>
    [SkippableFact]
    public void Aac_m4a_embeds_managed_like_the_ffmpeg_path_and_without_ffmpeg()
    {
        const double minCosine = 0.99999;
        TestStore.WithMusicnn("MTT_musicnn");
        var aac = AacM4aTests.AacSong("Kevin_MacLeod_-_Vibe_Ace.ogg", "128k");
        using var host = new ModuleHost();
        var viaFFmpeg = host.Run($"Get-AudioEmbedding -LiteralPath '{aac}' -Decoder FFmpeg").ThrowIfErrors().All<AudioEmbedding>().Single();
        // No ffmpeg at all: a path that does not exist is what a machine without ffmpeg looks like to the locator.
        var managed = host.Run($"Get-AudioEmbedding -LiteralPath '{aac}' -Decoder Managed -FFmpegPath '/nonexistent/ffmpeg'").ThrowIfErrors().All<AudioEmbedding>().Single();
        var auto = host.Run($"Get-AudioEmbedding -LiteralPath '{aac}' -FFmpegPath '/nonexistent/ffmpeg'").ThrowIfErrors().All<AudioEmbedding>().Single();
        Assert.Equal(viaFFmpeg.Vector.Length, managed.Vector.Length);
        double cosine = Similarity.Cosine(viaFFmpeg.Vector, managed.Vector);
        double maxDelta = viaFFmpeg.Vector.Zip(managed.Vector, (a, b) => Math.Abs((double)a - b)).Max();
        output.WriteLine($"AAC M4A MusiCNN embedding, managed vs ffmpeg decode: 1 - cosine {1 - cosine:E2}, max |delta| {maxDelta:E2} ({managed.Vector.Length} values)");
        Assert.True(cosine >= minCosine, $"cosine {cosine:F8} to the ffmpeg path (minimum {minCosine})");
        Assert.True(maxDelta <= 1e-4, $"max |delta| {maxDelta:E2} to the ffmpeg path's embedding");
        Assert.Equal(managed.Vector, auto.Vector); // Auto decodes AAC-LC in process

        var info = host.Run($"Get-AudioFileInfo -LiteralPath '{aac}' -Decoder Managed").ThrowIfErrors();
        Assert.Equal("MP4 AAC (LC)", (string)info.Output.Single().Properties["Format"].Value);
    }

    /// <summary>Raw AAC (.aac): decoded in-process under Auto, the embedding as the ffmpeg path's; a cut file warns as other formats do.</summary>
    [SkippableFact]
    public void Adts_aac_embeds_managed_like_the_ffmpeg_path_and_a_cut_file_warns()
    {
        const double minCosine = 0.99999;
        TestStore.WithMusicnn("MTT_musicnn");
        var aac = AacAdtsTests.AdtsSong("Kevin_MacLeod_-_Vibe_Ace.ogg", "128k");
        using var host = new ModuleHost();
        var viaFFmpeg = host.Run($"Get-AudioEmbedding -LiteralPath '{aac}' -Decoder FFmpeg").ThrowIfErrors().All<AudioEmbedding>().Single();
        var auto = host.Run($"Get-AudioEmbedding -LiteralPath '{aac}' -FFmpegPath '/nonexistent/ffmpeg'").ThrowIfErrors().All<AudioEmbedding>().Single();
        double cosine = Similarity.Cosine(viaFFmpeg.Vector, auto.Vector);
        double maxDelta = viaFFmpeg.Vector.Zip(auto.Vector, (a, b) => Math.Abs((double)a - b)).Max();
        output.WriteLine($"ADTS AAC MusiCNN embedding, managed vs ffmpeg decode: 1 - cosine {1 - cosine:E2}, max |delta| {maxDelta:E2} ({auto.Vector.Length} values)");
        Assert.True(cosine >= minCosine, $"cosine {cosine:F8} to the ffmpeg path (minimum {minCosine})");
        Assert.True(maxDelta <= 1e-4, $"max |delta| {maxDelta:E2} to the ffmpeg path's embedding");
        Assert.Equal(viaFFmpeg.Duration, auto.Duration); // the same sample count: no priming trimmed by either

        var info = host.Run($"Get-AudioFileInfo -LiteralPath '{aac}'").ThrowIfErrors().Output.Single();
        Assert.Equal(("ADTS AAC (LC)", "Managed"), ((string)info.Properties["Format"].Value, (string)info.Properties["Decoder"].Value));
        // 432 frames: few enough that the header walk reaches the end, so the length is counted, not estimated.
        Assert.False((bool)info.Properties["DurationIsEstimate"].Value);
        Assert.InRange(((TimeSpan)info.Properties["Duration"].Value - auto.Duration).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

        var bytes = File.ReadAllBytes(aac);
        var cut = Path.Combine(TestStore.TempDir("adts-cut"), "cut-song.aac");
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length / 2 + 3).ToArray());
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{cut}' -FFmpegPath '/nonexistent/ffmpeg'").ThrowIfErrors();
        Assert.True(r.All<AudioEmbedding>().Single().Truncated);
        var warning = Assert.Single(r.Warnings);
        Assert.StartsWith("AudioEmbed.TruncatedAudio", warning);
        Assert.Contains(cut, warning);
    }
}
