using AudioEmbed.Core.Output;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Two exports into one folder at the same time (two shells, two scheduled tasks): nothing lost, only valid files.</summary>
[Collection(PowerShellCollection.Name)]
public class ConcurrentExportTests
{
    [SkippableFact]
    public void TwoConcurrentExports_LeaveOnlyCompleteFiles()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("audio");
        for (int i = 0; i < 6; i++) TestAudio.Tone(audio, $"s{i}.wav", 3.2, hz: 300 + 40 * i);
        var output = TestStore.TempDir("out");
        var script = $"[System.IO.Directory]::GetFiles('{audio}', '*.wav') | Get-AudioEmbedding -ThrottleLimit 1 | Export-EmbeddingNpy -OutputDirectory '{output}'";

        var runs = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            using var host = new ModuleHost();
            return host.Run(script);
        })).ToArray();
        Task.WaitAll(runs, TimeSpan.FromMinutes(5));

        // Both runs wrote every file (the later rename wins); neither saw an error; no temporary file is left.
        Assert.All(runs, r => Assert.Empty(r.Result.Errors));
        Assert.All(runs, r => Assert.Equal(6, r.Result.Output.Count(o => o.Properties["Status"].Value.ToString() == "Written")));
        var files = Directory.GetFiles(Path.Combine(output, "musicnn"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != EmbeddingManifest.FileName).ToArray();
        Assert.Equal(6, files.Length);
        // Both writers' manifest lines survive the shared appends: twelve records, six outputs.
        Assert.Equal(12, File.ReadAllLines(Path.Combine(output, "musicnn", EmbeddingManifest.FileName)).Length);
        Assert.All(files, f => Assert.True(f.EndsWith(".npy") && EmbeddingStatusScanner.IsValid(f, new[] { 753 }), $"{f} is not a complete embedding"));
    }
}
