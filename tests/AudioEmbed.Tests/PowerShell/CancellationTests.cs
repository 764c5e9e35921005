using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Ctrl+C (PowerShell.Stop → StopProcessing) ends a long run promptly and leaves no partial file.</summary>
[Collection(PowerShellCollection.Name)]
public class CancellationTests
{
    [SkippableFact]
    public void Stop_EndsTheRunBeforeTheLibraryIsDone_AndLeavesNoPartialFiles()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("audio");
        var song = TestAudio.ReferenceSong(audio, TestAudio.SongA);
        for (int i = 0; i < 40; i++) File.Copy(song, Path.Combine(audio, $"copy{i:00}.wav"));
        var output = TestStore.TempDir("out");

        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript($@"Import-Module '{Path.Combine(SharedData.ModuleDir, "AudioEmbed.psd1")}'
            [System.IO.Directory]::GetFiles('{audio}', '*.wav') | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'");
        var results = new PSDataCollection<PSObject>();
        var firstResult = new ManualResetEventSlim();
        results.DataAdded += (_, _) => firstResult.Set();
        var async = ps.BeginInvoke<PSObject, PSObject>(null, results);

        Assert.True(firstResult.Wait(TimeSpan.FromMinutes(2)), "no embedding was written within two minutes");
        var clock = Stopwatch.StartNew();
        ps.Stop();
        clock.Stop();
        try { ps.EndInvoke(async); } catch (PipelineStoppedException) { }

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.True(results.Count < 41, $"the run was not stopped: {results.Count} files written");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
        var written = Directory.GetFiles(Path.Combine(output, "musicnn")).Where(f => Path.GetFileName(f) != AudioEmbed.Core.Output.EmbeddingManifest.FileName).ToArray();
        Assert.All(written, f => Assert.EndsWith(".npy", f)); // no temporary files left
        Assert.All(written, f => Assert.True(AudioEmbed.Core.Output.EmbeddingStatusScanner.IsValid(f, new[] { 753 }), $"{f} is not a complete embedding"));
    }
}
