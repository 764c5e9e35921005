using System.Management.Automation;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Write-Progress during a run: audio time and speed, percent from header durations, completed at the end.</summary>
[Collection(PowerShellCollection.Name)]
public class ProgressTests
{
    [SkippableFact]
    public void Progress_HasPercentFromDurations_AndIsCompletedAtTheEnd()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var dir = TestStore.TempDir("audio");
        var files = Enumerable.Range(0, 3).Select(i => TestAudio.Tone(dir, $"t{i}.wav", 3.5)).ToArray();
        using var host = new ModuleHost();
        var r = host.Run("Get-AudioEmbedding -LiteralPath $files", new Dictionary<string, object?> { ["files"] = files }).ThrowIfErrors();
        var records = r.Progress.Where(p => p.Activity == "Computing audio embeddings").ToList();
        var first = records.First();
        Assert.Equal(0, first.PercentComplete); // planned total known (3 × 3.5 s), nothing done yet
        Assert.Contains("0 done, 0 failed", first.StatusDescription);
        Assert.Equal(ProgressRecordType.Completed, records.Last().RecordType);
    }
}
