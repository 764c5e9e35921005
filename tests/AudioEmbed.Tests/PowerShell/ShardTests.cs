using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Several machines sharing one library and one output folder through -Shard k/n.</summary>
[Collection(PowerShellCollection.Name)]
public class ShardTests
{
    [SkippableFact]
    public void TwoMachines_CompleteTheLibraryExactlyOnce()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("library");
        for (int i = 0; i < 8; i++) TestAudio.Tone(audio, $"track {i:00}.wav", 3.2, hz: 200 + 50 * i);
        var output = TestStore.TempDir("out");
        var computed = new List<string>();
        foreach (var shard in new[] { "1/2", "2/2" })
        {
            using var machine = new ModuleHost(); // a separate runspace stands for a separate machine
            var r = machine.Run($"[System.IO.Directory]::GetFiles('{audio}', '*.wav') | Get-AudioEmbedding -Shard {shard} -SkipExisting -OutputDirectory '{output}' | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
            computed.AddRange(r.Output.Select(o => (string)o.Properties["Name"].Value));
        }
        Assert.Equal(8, computed.Count);
        Assert.Equal(8, computed.Distinct().Count());
        Assert.Equal(8, Directory.GetFiles(Path.Combine(output, "musicnn"), "*.npy").Length);

        // A rerun of either shard finds nothing left to do; the status shards partition -Missing too.
        using var again = new ModuleHost();
        Assert.Empty(again.Run($"[System.IO.Directory]::GetFiles('{audio}', '*.wav') | Get-AudioEmbedding -Shard 1/2 -SkipExisting -OutputDirectory '{output}'").ThrowIfErrors().Output);
    }

    [Fact]
    public void Shards_PartitionAnyListOfNames()
    {
        var names = Enumerable.Range(0, 500).Select(i => $"/music/artist {i % 7}/song {i}.mp3").ToList();
        var shards = Enumerable.Range(1, 3).Select(k => new Shard(k, 3)).ToList();
        foreach (var name in names) Assert.Equal(1, shards.Count(s => s.Owns(name)));
        Assert.All(shards, s => Assert.InRange(names.Count(s.Owns), 120, 220)); // roughly even
        Assert.True(new Shard(2, 3).Owns("/a/Song.mp3") == new Shard(2, 3).Owns(@"D:\other\mount\song.flac"), "ownership must depend on the song name only");
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1/0")]
    public void BadShard_IsRejected(string text) => Assert.Throws<FormatException>(() => Shard.Parse(text));
}
