using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Export-EmbeddingNpy, Import-EmbeddingNpy, Get-EmbeddingStatus and -SkipExisting as a user drives them.</summary>
[Collection(PowerShellCollection.Name)]
public class OutputTests
{
    private static (string Audio, string Out) Library(int songs, double seconds = 3.5)
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("library");
        for (int i = 0; i < songs; i++) TestAudio.Tone(audio, $"song {i} [live].wav", seconds, hz: 220 * (i + 1));
        return (audio, TestStore.TempDir("out"));
    }

    [SkippableFact]
    public void Status_CountsValidMissingOrphanedInvalid_AndMissingCompletesTheLibrary()
    {
        var (audio, output) = Library(4);
        using var host = new ModuleHost();
        // Embed two of the four songs.
        host.Run($@"[System.IO.Directory]::GetFiles('{audio}', '*.wav') |
                    Where-Object {{ $_ -match 'song [01]' }} | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        var modelDir = Path.Combine(output, "musicnn");
        File.WriteAllText(Path.Combine(modelDir, "song 2 [live].npy"), "not numpy");          // invalid
        File.Copy(Path.Combine(modelDir, "song 0 [live].npy"), Path.Combine(modelDir, "gone.npy")); // orphaned

        var report = host.Run($"Get-EmbeddingStatus -AudioPath '{audio}' -OutputDirectory '{output}' -Model MusiCNN").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((4, 2, 2, 1, 1), (report.AudioFiles, report.Valid, report.Missing, report.Orphaned, report.Invalid));

        var completed = host.Run($@"Get-EmbeddingStatus -AudioPath '{audio}' -OutputDirectory '{output}' -Model MusiCNN -Missing |
                                   Get-AudioEmbedding -Model MusiCNN | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        Assert.Equal(2, completed.Output.Count);
        report = host.Run($"Get-EmbeddingStatus '{audio}' -OutputDirectory '{output}' -Model MusiCNN").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((4, 4, 0, 1, 0), (report.AudioFiles, report.Valid, report.Missing, report.Orphaned, report.Invalid));
    }

    [SkippableFact]
    public void StatusWithoutModel_ReportsEveryCatalogModel()
    {
        var (audio, output) = Library(1);
        using var host = new ModuleHost();
        var reports = host.Run($"Get-EmbeddingStatus '{audio}' -OutputDirectory '{output}'").ThrowIfErrors().All<EmbeddingStatusReport>().ToList();
        Assert.Equal(new[] { "MusiCNN", "Mert", "EnCodecMAE" }, reports.Select(r => r.Model));
        Assert.All(reports, r => Assert.Equal(1, r.Missing));
    }

    [SkippableFact]
    public void SkipExisting_SkipsValidOutputs_AndRedoesInvalidOnes()
    {
        var (audio, output) = Library(2);
        using var host = new ModuleHost();
        var all = $"[System.IO.Directory]::GetFiles('{audio}', '*.wav')";
        host.Run($"{all} | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        File.WriteAllBytes(Path.Combine(output, "musicnn", "song 1 [live].npy"), new byte[] { 0x93, 0x4E }); // truncated
        var r = host.Run($"{all} | Get-AudioEmbedding -SkipExisting -OutputDirectory '{output}' -Verbose").ThrowIfErrors();
        Assert.Equal("song 1 [live]", r.Single<AudioEmbedding>().Name);
        Assert.Contains(r.Verbose, v => v.Contains("Skipping") && v.Contains("song 0 [live]"));
    }

    [SkippableFact]
    public void SameSongNameInTwoFolders_IsNotSilentlyOverwritten()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var root = TestStore.TempDir("dupes");
        var a = TestAudio.Tone(Directory.CreateDirectory(Path.Combine(root, "a")).FullName, "intro.wav", 3.5, hz: 300);
        var b = TestAudio.Tone(Directory.CreateDirectory(Path.Combine(root, "b")).FullName, "intro.wav", 3.5, hz: 900);
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        var r = host.Run($"'{a}', '{b}' | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'");
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("AudioEmbed.DuplicateSongName", error.FullyQualifiedErrorId);
        Assert.Contains(a, error.Exception.Message);
        Assert.Contains(b, error.Exception.Message);
        Assert.Equal(new[] { "Written", "Failed" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
        var first = host.Run($"Get-AudioEmbedding -LiteralPath '{a}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(first.Vector, NpyReader.Read(Path.Combine(output, "musicnn", "intro.npy")).ToFloat32());
    }

    [SkippableFact]
    public void WhatIf_NoClobber_PassThru()
    {
        var (audio, output) = Library(1);
        using var host = new ModuleHost();
        var get = $"Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audio}', '*.wav'))";
        host.Run($"{get} | Export-EmbeddingNpy -OutputDirectory '{output}' -WhatIf").ThrowIfErrors();
        Assert.False(Directory.Exists(Path.Combine(output, "musicnn")) && Directory.GetFiles(Path.Combine(output, "musicnn")).Length > 0);

        var file = host.Run($"{get} | Export-EmbeddingNpy -OutputDirectory '{output}' -PassThru").ThrowIfErrors().Single<FileInfo>();
        Assert.Equal(Path.Combine(output, "musicnn", "song 0 [live].npy"), file.FullName);
        var stamp = File.GetLastWriteTimeUtc(file.FullName);
        File.WriteAllBytes(file.FullName, File.ReadAllBytes(file.FullName)); // same content, new time
        var before = File.GetLastWriteTimeUtc(file.FullName);
        var skipped = host.Run($"{get} | Export-EmbeddingNpy -OutputDirectory '{output}' -NoClobber").ThrowIfErrors();
        Assert.Equal("Skipped", skipped.Output.Single().Properties["Status"].Value.ToString());
        Assert.Equal(before, File.GetLastWriteTimeUtc(file.FullName));
    }

    [SkippableFact]
    public void FullSequence_WritesPatchesByDimension_AndImportReadsItBack()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("audio");
        var path = TestAudio.ReferenceSong(audio, TestAudio.SongB);
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        host.Run($"Get-AudioEmbedding -LiteralPath '{path}' -FullSequence | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        // Not the default configuration (pooling None): its own folder beside the mean-pooled files.
        var npy = Path.Combine(output, "musicnn", "MTT_musicnn.mean_pool.none", TestAudio.SongB + ".npy");
        var written = NpyReader.Read(npy);
        Assert.Equal(new[] { 9, 753 }, written.Shape);
        var reference = SharedData.Npy("fixtures", "musicnn", TestAudio.SongB, "reference_MTT_musicnn", "mean_pool.npy");
        Tolerance.AllClose(reference.ToFloat32(), written.ToFloat32(), 2e-3, 0, "per-patch mean_pool");

        var imported = host.Run($"Import-EmbeddingNpy -LiteralPath '{npy}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(("MusiCNN", "musicnn", 753, 9, Pooling.None), (imported.Model, imported.ModelFolder, imported.Dimension, imported.Sequence!.Length, imported.Pooling));
        Assert.Equal(written.ToFloat32().Take(753), imported.Sequence[0]);
    }

    [SkippableFact]
    public void Import_RoundTripsAVector_AndRejectsANonNpyClearly()
    {
        var (audio, output) = Library(1);
        using var host = new ModuleHost();
        var original = host.Run($"Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audio}', '*.wav'))").ThrowIfErrors().Single<AudioEmbedding>();
        host.Run("$e | Export-EmbeddingNpy -OutputDirectory $o", new Dictionary<string, object?> { ["e"] = original, ["o"] = output }).ThrowIfErrors();
        var bogus = Path.Combine(output, "musicnn", "bogus.npy");
        File.WriteAllText(bogus, "nope");
        var r = host.Run($"Import-EmbeddingNpy -Path '{Path.Combine(output, "musicnn")}/*.npy'");
        Assert.Equal(original.Vector, r.Output.Select(o => o.BaseObject).OfType<AudioEmbedding>().Single().Vector);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("AudioEmbed.InvalidNpy", error.FullyQualifiedErrorId);
        Assert.Contains("bogus.npy", error.Exception.Message);
    }

    [SkippableFact]
    public void UnwritableOutputFolder_StopsOnceBeforeAnyFile()
    {
        // Was one WriteFailed per file after computing each (issue 11.6): now one terminating error up front.
        var (audio, _) = Library(1);
        var blocker = Path.Combine(TestStore.TempDir("blocked"), "not-a-folder");
        File.WriteAllText(blocker, "a file where the output folder should be");
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audio}', '*.wav')) | Export-EmbeddingNpy -OutputDirectory '{blocker}'");
        var error = Assert.Single(r.Errors); // statement-terminating: the only error, and no result
        Assert.StartsWith("AudioEmbed.OutputNotWritable", error.FullyQualifiedErrorId);
        Assert.Contains("Cannot write", error.Exception.Message);
        Assert.Contains(blocker, error.Exception.Message);
        Assert.Empty(r.Output);
    }

    [SkippableFact]
    public void PipelineBinding_AcceptsFileInfoStringsAndRowObjects()
    {
        var (audio, _) = Library(3);
        using var host = new ModuleHost();
        var files = Directory.GetFiles(audio, "*.wav").OrderBy(f => f).ToArray();
        var viaPipe = host.Run($@"
            @([System.IO.FileInfo]::new('{files[0]}'), '{files[1]}', [pscustomobject]@{{ FullName = '{files[2]}'; Genre = 'a CSV row' }}) | Get-AudioEmbedding").ThrowIfErrors();
        Assert.Equal(files.Select(Path.GetFileNameWithoutExtension), viaPipe.All<AudioEmbedding>().Select(e => e.Name));
        // Wildcards in -Path; a bracketed name given as a plain string still means that file.
        var wild = host.Run($"Get-AudioEmbedding -Path '{audio}/*.wav'").ThrowIfErrors();
        Assert.Equal(3, wild.Output.Count);
        var none = host.Run($"Get-AudioEmbedding -Path '{audio}/*.flac'");
        Assert.StartsWith("AudioEmbed.PathNotFound", Assert.Single(none.Errors).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void ExportResults_PipeIntoImport()
    {
        var (audio, output) = Library(2);
        using var host = new ModuleHost();
        var r = host.Run($"[System.IO.Directory]::GetFiles('{audio}', '*.wav') | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}' | Import-EmbeddingNpy").ThrowIfErrors();
        Assert.Equal(2, r.Output.Count);
        Assert.All(r.All<AudioEmbedding>(), e => Assert.Equal(753, e.Dimension));
    }

    [SkippableFact]
    public void OutputDirectoryNamingTheModelFolder_IsWarnedAbout()
    {
        var (audio, output) = Library(1);
        using var host = new ModuleHost();
        var nested = Path.Combine(output, "musicnn");
        var r = host.Run($"Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audio}', '*.wav')) | Export-EmbeddingNpy -OutputDirectory '{nested}'").ThrowIfErrors();
        Assert.Contains(r.Warnings, w => w.Contains("already ends in 'musicnn'"));
    }

    [SkippableFact]
    public void ThrottleLimit_KeepsInputOrderAndValues()
    {
        var (audio, _) = Library(5);
        var files = Directory.GetFiles(audio, "*.wav").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var bad = Path.Combine(audio, "broken.wav");
        File.WriteAllText(bad, "not audio");
        var list = files.Take(2).Append(bad).Concat(files.Skip(2)).ToArray();
        using var host = new ModuleHost();
        var serial = host.Run("$list | Get-AudioEmbedding -ThrottleLimit 1", new Dictionary<string, object?> { ["list"] = list });
        var parallel = host.Run("$list | Get-AudioEmbedding -ThrottleLimit 3", new Dictionary<string, object?> { ["list"] = list });
        Assert.Equal(files.Select(Path.GetFileNameWithoutExtension), parallel.All<AudioEmbedding>().Select(e => e.Name));
        Assert.Equal(serial.All<AudioEmbedding>().Select(e => e.Vector), parallel.All<AudioEmbedding>().Select(e => e.Vector));
        Assert.Contains("broken.wav", Assert.Single(parallel.Errors).Exception.Message);
    }
}
