using AudioEmbed.Core.Output;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>-Layout Relative: the library's folders mirrored, so two songs with one name in two folders both keep their embedding.</summary>
[Collection(PowerShellCollection.Name)]
public class LayoutTests
{
    [SkippableFact]
    public void RelativeLayout_KeepsSameNamedSongsApart_AndStatusAndSkipExistingFollowIt()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var library = TestStore.TempDir("library");
        var a = TestAudio.Tone(Directory.CreateDirectory(Path.Combine(library, "Artist A", "Live [2001]")).FullName, "Intro.wav", 3.2, hz: 300);
        var b = TestAudio.Tone(Directory.CreateDirectory(Path.Combine(library, "Artist B")).FullName, "Intro.wav", 3.2, hz: 900);
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        var common = $"-Layout Relative -RelativeTo '{library}'";

        var r = host.Run($"'{a}', '{b}' | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}' {common}").ThrowIfErrors();
        Assert.Equal(new[] { "Written", "Written" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
        var npyA = Path.Combine(output, "musicnn", "Artist A", "Live [2001]", "Intro.npy");
        var npyB = Path.Combine(output, "musicnn", "Artist B", "Intro.npy");
        Assert.True(File.Exists(npyA) && File.Exists(npyB));
        Assert.NotEqual(NpyReader.Read(npyA).Values, NpyReader.Read(npyB).Values);

        var report = host.Run($"Get-EmbeddingStatus '{library}' -Recurse -Model MusiCNN -OutputDirectory '{output}' {common}").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((2, 2, 0, 0), (report.AudioFiles, report.Valid, report.Missing, report.Orphaned));
        Assert.Empty(host.Run($"'{a}', '{b}' | Get-AudioEmbedding -SkipExisting -OutputDirectory '{output}' {common}").ThrowIfErrors().Output);
    }

    [SkippableFact]
    public void FileOutsideTheRoot_IsReported_NotWrittenElsewhere()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var library = TestStore.TempDir("library");
        var outside = TestAudio.Tone(TestStore.TempDir("elsewhere"), "x.wav", 3.2);
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{outside}' | Export-EmbeddingNpy -OutputDirectory '{output}' -Layout Relative -RelativeTo '{library}'");
        Assert.Contains("is not below the layout root", Assert.Single(r.Errors).Exception.Message);
        Assert.False(Directory.Exists(Path.Combine(output, "musicnn")));
    }
}
