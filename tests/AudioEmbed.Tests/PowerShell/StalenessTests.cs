using AudioEmbed.Core.Output;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>manifest.jsonl: each export records its source and settings; status finds embeddings that went stale.</summary>
[Collection(PowerShellCollection.Name)]
public class StalenessTests
{
    [SkippableFact]
    public void ChangedAudioAndOtherSettings_AreStale_AndMissingRecomputesThem()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var library = TestStore.TempDir("library");
        var files = Enumerable.Range(0, 3).Select(i => TestAudio.Tone(library, $"s{i}.wav", 3.2, hz: 250 + 100 * i)).ToArray();
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        host.Run($"[System.IO.Directory]::GetFiles('{library}', '*.wav') | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        var records = EmbeddingManifest.Load(Path.Combine(output, "musicnn"));
        Assert.Equal(3, records.Count);
        var r0 = records["s0.npy"];
        Assert.Equal((files[0], "MTT_musicnn", "mean_pool", "Mean", new FileInfo(files[0]).Length), (r0.Source, r0.Variant, r0.Layer, r0.Pooling, r0.Size));
        Assert.Equal(64, r0.ModelHash.Length);

        var status = $"Get-EmbeddingStatus '{library}' -Model MusiCNN -OutputDirectory '{output}'";
        Assert.Equal(0, host.Run(status).ThrowIfErrors().Single<EmbeddingStatusReport>().Stale);

        TestAudio.Tone(library, "s1.wav", 3.5, hz: 777); // the song was re-ripped
        var report = host.Run(status).ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((3, 1), (report.Valid, report.Stale));
        Assert.Equal(files[1], report.StaleFiles.Single());
        // Another variant is another configuration, in its own folder: none of its embeddings exist yet.
        var msd = host.Run(status + " -Variant MSD_musicnn").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((0, 3, 0), (msd.Valid, msd.Missing, msd.Stale));

        var redo = host.Run(status + " -Missing | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '" + output + "'").ThrowIfErrors();
        Assert.Equal("s1", redo.Output.Single().Properties["Name"].Value);
        Assert.Equal(0, host.Run(status).ThrowIfErrors().Single<EmbeddingStatusReport>().Stale);
    }

    [Fact]
    public void TornLastLine_IsIgnored()
    {
        var dir = Directory.CreateTempSubdirectory("audioembed-manifest-").FullName;
        try
        {
            EmbeddingManifest.Append(dir, new EmbeddingRecord { Output = "a.npy", Source = "/x/a.wav", Variant = "v1" });
            EmbeddingManifest.Append(dir, new EmbeddingRecord { Output = "a.npy", Source = "/x/a.wav", Variant = "v2" });
            File.AppendAllText(Path.Combine(dir, EmbeddingManifest.FileName), "{\"output\":\"b.npy\",\"sou"); // killed mid-append
            var records = EmbeddingManifest.Load(dir);
            Assert.Equal("v2", Assert.Single(records).Value.Variant);
        }
        finally { Directory.Delete(dir, true); }
    }
}
