using System.Diagnostics;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// An output folder that cannot be written stops Export-EmbeddingNpy in BeginProcessing, before Get-AudioEmbedding
/// upstream computes anything: one error naming the folder and why. The tests run as root here, where permissions do
/// not stop a write, so the folder is made unwritable by a file in its path, by an immutable folder (chattr +i) and by a
/// read-only bind mount; the last two skip where the tool or the privilege is missing.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class UnwritableOutputTests
{
    private static (string Audio, string[] Files) Library()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("library");
        var files = Enumerable.Range(0, 3).Select(i => TestAudio.Tone(audio, $"s{i}.wav", 3.3, hz: 300 + 50 * i)).ToArray();
        return (audio, files);
    }

    private static void AssertStoppedBeforeAnyFile(ScriptResult r, string folder, string reason)
    {
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("AudioEmbed.OutputNotWritable", error.FullyQualifiedErrorId);
        Assert.Contains($"'{folder}'", error.Exception.Message);
        Assert.Contains(reason, error.Exception.Message);
        Assert.Empty(r.Output);
        Assert.DoesNotContain(r.Verbose, v => v.StartsWith("Processing", StringComparison.Ordinal)); // nothing was computed
    }

    private static ScriptResult Export(ModuleHost host, string audio, string output) =>
        host.Run($"[System.IO.Directory]::GetFiles('{audio}', '*.wav') | Get-AudioEmbedding -Verbose | Export-EmbeddingNpy -OutputDirectory '{output}'");

    [SkippableFact]
    public void AFileInThePath_StopsBeforeTheFirstFile()
    {
        var (audio, _) = Library();
        var blocker = Path.Combine(TestStore.TempDir("blocked"), "a-file");
        File.WriteAllText(blocker, "not a folder");
        var output = Path.Combine(blocker, "sub");
        using var host = new ModuleHost();
        AssertStoppedBeforeAnyFile(Export(host, audio, output), output, $"'{blocker}' is a file");
    }

    [SkippableFact]
    public void AnImmutableFolder_StopsBeforeTheFirstFile()
    {
        var (audio, _) = Library();
        var output = TestStore.TempDir("immutable");
        Skip.IfNot(Run("chattr", $"+i \"{output}\""), "chattr +i is not available here (needs root and a file system with attributes)");
        try
        {
            using var host = new ModuleHost();
            var r = Export(host, audio, output);
            // The model folder cannot be created in an immutable folder: the probe of the folder itself finds it.
            AssertStoppedBeforeAnyFile(r, output, "permission denied");
        }
        finally { Run("chattr", $"-i \"{output}\""); }
    }

    [SkippableFact]
    public void AReadOnlyFileSystem_StopsBeforeTheFirstFile()
    {
        var (audio, _) = Library();
        var source = TestStore.TempDir("ro-source");
        Directory.CreateDirectory(Path.Combine(source, "musicnn"));
        var mount = TestStore.TempDir("ro-mount");
        Skip.IfNot(Run("mount", $"--bind -o ro \"{source}\" \"{mount}\""), "a read-only bind mount needs root (CAP_SYS_ADMIN)");
        try
        {
            using var host = new ModuleHost();
            AssertStoppedBeforeAnyFile(Export(host, audio, mount), mount, "read-only");
            Assert.Empty(Directory.GetFiles(Path.Combine(source, "musicnn")));
        }
        finally { Run("umount", $"\"{mount}\""); }
    }

    [SkippableFact]
    public void AWritableFolder_IsProbedWithoutLeavingAnythingBehind()
    {
        var (audio, files) = Library();
        var output = Path.Combine(TestStore.TempDir("fresh"), "not", "yet");
        using var host = new ModuleHost();
        var r = Export(host, audio, output).ThrowIfErrors();
        Assert.Equal(files.Length, r.Output.Count);
        Assert.Equal(new[] { "manifest.jsonl", "s0.npy", "s1.npy", "s2.npy" },
            Directory.GetFileSystemEntries(Path.Combine(output, "musicnn")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "musicnn" }, Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
    }

    private static bool Run(string tool, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true });
            if (p is null) return false;
            p.WaitForExit(10_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; } // the tool is not installed
    }
}
