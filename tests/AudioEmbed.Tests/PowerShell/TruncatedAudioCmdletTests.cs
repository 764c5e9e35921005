using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Get-AudioEmbedding on a cut file: the embedding is produced, and a warning names the file and both durations.</summary>
[Collection(PowerShellCollection.Name)]
public class TruncatedAudioCmdletTests
{
    [SkippableFact]
    public void CutFileEmbedsWithAWarning_CompleteFileWithout()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var flac = SharedData.Require("fixtures", "flac", "subset-01-blocksize_4096.flac");
        var cut = TruncatedAudioTests.Cut(flac, 0.5, "cut-song.flac");
        using var host = new ModuleHost();

        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{cut}', '{flac}' -ThrottleLimit 1").ThrowIfErrors();
        var embeddings = r.All<AudioEmbedding>().ToList();
        Assert.Equal(2, embeddings.Count);
        var (truncated, complete) = (embeddings[0], embeddings[1]);

        Assert.True(truncated.Truncated);
        Assert.NotNull(truncated.DeclaredDuration);
        Assert.True(truncated.DeclaredDuration > truncated.Duration);
        Assert.InRange((truncated.DeclaredDuration!.Value - complete.Duration).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.Equal(complete.Dimension, truncated.Dimension);
        Assert.False(complete.Truncated);
        Assert.Null(complete.DeclaredDuration);

        var warning = Assert.Single(r.Warnings);
        Assert.StartsWith("AudioEmbed.TruncatedAudio", warning);
        Assert.Contains(cut, warning);
        Assert.Contains($"{(int)truncated.Duration.TotalMinutes}:{truncated.Duration.Seconds:00}.", warning);
        Assert.Contains($"{(int)complete.Duration.TotalMinutes}:{complete.Duration.Seconds:00}.", warning);
    }
}
