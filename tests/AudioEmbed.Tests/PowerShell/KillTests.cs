using System.Diagnostics;
using AudioEmbed.Core.Output;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// kill -9 in the middle of an export (a separate PowerShell process, see ChildPwsh): guards
/// against a truncated .npy surviving a crash, and checks that a rerun with -SkipExisting completes the set.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class KillTests
{
    private const int Copies = 40;

    [SkippableFact]
    public void KilledExport_LeavesOnlyCompleteFiles_AndARerunCompletesTheSet()
    {
        ChildPwsh.Require();
        TestStore.WithMusicnn("MTT_musicnn"); // the child inherits AUDIOEMBED_HOME and AUDIOEMBED_OFFLINE
        var audio = TestStore.TempDir("audio");
        var song = TestAudio.ReferenceSong(audio, TestAudio.SongA);
        for (int i = 0; i < Copies; i++) File.Copy(song, Path.Combine(audio, $"copy{i:00}.wav"));
        var output = TestStore.TempDir("out");
        var modelDir = Path.Combine(output, "musicnn");
        var script = $"Import-Module '{Path.Combine(SharedData.ModuleDir, "AudioEmbed.psd1")}'; " +
                     $"[System.IO.Directory]::GetFiles('{audio}', '*.wav') | Get-AudioEmbedding -ThrottleLimit 1 -SkipExisting -OutputDirectory '{output}' | Export-EmbeddingNpy -OutputDirectory '{output}' | ForEach-Object {{ }}";

        using (var child = ChildPwsh.Start(script))
        {
            var clock = Stopwatch.StartNew();
            while (!child.HasExited && clock.Elapsed < TimeSpan.FromMinutes(4) && (!Directory.Exists(modelDir) || Directory.GetFiles(modelDir, "*.npy").Length < 2))
                Thread.Sleep(5);

            if (child.HasExited && child.ExitCode != 0)
                throw new SkipException("the child PowerShell could not run: " + ChildPwsh.ErrorsOf(child));
            child.Kill(entireProcessTree: true); // SIGKILL: no cleanup code runs
            child.WaitForExit();
        }
        var afterKill = Directory.GetFiles(modelDir, "*.npy");
        Assert.InRange(afterKill.Length, 2, Copies); // killed mid-run, not after it
        Assert.All(afterKill, f => Assert.True(EmbeddingStatusScanner.IsValid(f, new[] { 753 }), $"{f} is truncated"));

        using (var rerun = ChildPwsh.Start(script))
        {
            Assert.True(rerun.WaitForExit(TimeSpan.FromMinutes(4)), "the rerun did not finish");
            Assert.True(rerun.ExitCode == 0, "the rerun failed: " + ChildPwsh.ErrorsOf(rerun));
        }
        var all = Directory.GetFiles(modelDir, "*.npy");
        Assert.Equal(Copies + 1, all.Length);
        Assert.All(all, f => Assert.True(EmbeddingStatusScanner.IsValid(f, new[] { 753 })));
    }
}
