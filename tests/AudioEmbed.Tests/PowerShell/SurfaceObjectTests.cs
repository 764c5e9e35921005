using System.Management.Automation;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// The objects the cmdlets emit: -Missing as typed rows that pipe on, Import filling what the manifest knows,
/// -WhatIf emitting nothing, ExportResult.Status an enum, and status agreeing with -SkipExisting for custom checkpoints.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class SurfaceObjectTests
{
    private static (string Audio, string Out) Library(int songs)
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("library");
        for (int i = 0; i < songs; i++) TestAudio.Tone(audio, $"song {i}.wav", 3.3, hz: 200 * (i + 1));
        return (audio, TestStore.TempDir("out"));
    }

    [SkippableFact]
    public void Missing_EmitsTypedObjectsWithReasons_ThatPipeIntoGetAudioEmbedding()
    {
        var (audio, output) = Library(3);
        using var host = new ModuleHost();
        var files = Directory.GetFiles(audio, "*.wav").Order(StringComparer.Ordinal).ToArray();
        host.Run($"Get-AudioEmbedding -LiteralPath '{files[0]}', '{files[1]}' | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        File.WriteAllBytes(Path.Combine(output, "musicnn", "song 1.npy"), new byte[] { 0x93, (byte)'N' }); // truncated

        var status = $"Get-EmbeddingStatus '{audio}' -Model MusiCNN -OutputDirectory '{output}' -Missing";
        var missing = host.Run(status).ThrowIfErrors().All<MissingEmbedding>().ToList();
        Assert.Equal(new[] { ("song 1", MissingReason.Invalid), ("song 2", MissingReason.NotComputed) }, missing.Select(m => (m.Name, m.Reason)));
        Assert.All(missing, m => Assert.Equal("MusiCNN", m.Model));
        Assert.Equal(files[2], missing[1].AudioPath);
        Assert.Equal(Path.Combine(output, "musicnn", "song 2.npy"), missing[1].EmbeddingPath);

        // The default view is a table of properties the object has (this host lacks Out-String; Pester renders it).
        var view = System.Xml.Linq.XDocument.Load(Path.Combine(SharedData.ModuleDir, "AudioEmbed.format.ps1xml")).Descendants("View")
            .Single(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == typeof(MissingEmbedding).FullName);
        var columns = view.Descendants("PropertyName").Select(p => p.Value).ToList();
        Assert.Equal(new[] { "Name", "Model", "Reason", "AudioPath" }, columns);
        Assert.All(columns, c => Assert.NotNull(typeof(MissingEmbedding).GetProperty(c)));

        var done = host.Run(status + $" | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        Assert.Equal(new[] { "song 1", "song 2" }, done.Output.Select(o => (string)o.Properties["Name"].Value));
        Assert.Empty(host.Run(status).ThrowIfErrors().Output);
    }

    [SkippableFact]
    public void Missing_WithVariant_LooksInThatConfigurationsFolder()
    {
        var (audio, output) = Library(1);
        using var host = new ModuleHost();
        host.Run($"Get-AudioEmbedding -LiteralPath '{Directory.GetFiles(audio).Single()}' | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        // The MTT_musicnn file in musicnn/ is another configuration: MSD_musicnn's embedding has its own folder, still empty.
        var m = host.Run($"Get-EmbeddingStatus '{audio}' -Model MusiCNN -Variant MSD_musicnn -OutputDirectory '{output}' -Missing").ThrowIfErrors().Single<MissingEmbedding>();
        Assert.Equal((MissingReason.NotComputed, "MSD_musicnn"), (m.Reason, m.Variant));
        Assert.Contains("MSD_musicnn.", m.EmbeddingPath);
    }

    [SkippableFact]
    public void Import_FillsVariantLayerAndDuration_FromTheManifest()
    {
        var (audio, output) = Library(1);
        using var host = new ModuleHost();
        var original = host.Run($"Get-AudioEmbedding -LiteralPath '{Directory.GetFiles(audio).Single()}' -Layer penultimate").ThrowIfErrors().Single<AudioEmbedding>();
        host.Run("$e | Export-EmbeddingNpy -OutputDirectory $o", new Dictionary<string, object?> { ["e"] = original, ["o"] = output }).ThrowIfErrors();
        var folder = Path.Combine(output, "musicnn", "MTT_musicnn.penultimate.mean"); // a configuration of its own
        var imported = host.Run($"Import-EmbeddingNpy '{Path.Combine(folder, "song 0.npy")}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(("MusiCNN", "MTT_musicnn", "penultimate", 200), (imported.Model, imported.Variant, imported.Layer, imported.Dimension));
        Assert.Equal(original.Duration.TotalSeconds, imported.Duration.TotalSeconds, 6);
        Assert.Equal(original.ModelHash, imported.ModelHash);
        Assert.Equal(original.Vector, imported.Vector);

        // A file the manifest does not know (copied in by hand) still imports, with the model from the folder.
        File.Copy(Path.Combine(folder, "song 0.npy"), Path.Combine(output, "musicnn", "stray.npy"));
        var stray = host.Run($"Import-EmbeddingNpy '{Path.Combine(output, "musicnn", "stray.npy")}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(("MusiCNN", "", ""), (stray.Model, stray.Variant, stray.Layer));
    }

    [SkippableFact]
    public void Import_FindsTheManifest_AboveARelativeLayout()
    {
        var (audio, output) = Library(0);
        var album = Directory.CreateDirectory(Path.Combine(audio, "album")).FullName;
        var song = TestAudio.Tone(album, "track.wav", 3.3);
        using var host = new ModuleHost();
        host.Run($"Get-AudioEmbedding -LiteralPath '{song}' | Export-EmbeddingNpy -OutputDirectory '{output}' -Layout Relative -RelativeTo '{audio}'").ThrowIfErrors();
        var imported = host.Run($"Import-EmbeddingNpy '{Path.Combine(output, "musicnn", "album", "track.npy")}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(("MusiCNN", "MTT_musicnn", "mean_pool"), (imported.Model, imported.Variant, imported.Layer));
    }

    [SkippableFact]
    public void WhatIf_EmitsNoResultObjects()
    {
        var (audio, output) = Library(2);
        using var host = new ModuleHost();
        var export = host.Run($"Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audio}')) | Export-EmbeddingNpy -OutputDirectory '{output}' -WhatIf").ThrowIfErrors();
        Assert.Empty(export.Output);
        Assert.False(Directory.Exists(Path.Combine(output, "musicnn")));
        var passThru = host.Run($"Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audio}')) | Export-EmbeddingNpy -OutputDirectory '{output}' -WhatIf -PassThru").ThrowIfErrors();
        Assert.Empty(passThru.Output);
        // $WhatIfPreference counts as -WhatIf, and must not create the folder either.
        var nested = Path.Combine(output, "not", "yet");
        var pref = host.Run($"$WhatIfPreference = $true; Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audio}')) | Export-EmbeddingNpy -OutputDirectory '{nested}'; $WhatIfPreference = $false").ThrowIfErrors();
        Assert.Empty(pref.Output);
        Assert.False(Directory.Exists(nested));

        var store = TestStore.TempDir("store");
        var install = host.Run($"Install-AudioEmbedModel MusiCNN -SourcePath '{SharedData.Require("models", "musicnn")}' -ModelPath '{store}' -WhatIf").ThrowIfErrors();
        Assert.Empty(install.Output);
        Assert.False(Directory.Exists(Path.Combine(store, "models", "musicnn", "MTT_musicnn")));
    }

    [SkippableFact]
    public void ExportStatus_IsAnEnum_ThatStillComparesAsText()
    {
        var (audio, output) = Library(1);
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{Directory.GetFiles(audio).Single()}' | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        var status = r.Output.Single().Properties["Status"].Value;
        Assert.True(status.GetType().IsEnum);
        Assert.Equal(new[] { "Written", "Skipped", "Failed" }, Enum.GetNames(status.GetType()));
        var again = host.Run($"Get-AudioEmbedding -LiteralPath '{Directory.GetFiles(audio).Single()}' | Export-EmbeddingNpy -OutputDirectory '{output}' -NoClobber | Where-Object Status -eq 'Skipped'");
        Assert.Equal("Exists", again.ThrowIfErrors().Output.Single().Properties["Reason"].Value);
    }

    /// <summary>
    /// A tiny custom EnCodecMAE checkpoint (32 values): status used to measure files against the catalog's widths only
    /// (768/1024/...), so it called them Invalid, while -SkipExisting measured them against the installed manifest and
    /// skipped them. Both now ask the store (catalog + installed custom checkpoints).
    /// </summary>
    [SkippableFact]
    public void StatusAndSkipExisting_Agree_ForACustomVariant()
    {
        var store = TestStore.TempDir("store");
        var checkpoint = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt");
        var library = TestStore.TempDir("library");
        File.Copy(SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "input.wav"), Path.Combine(library, "input.wav"));
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -SourcePath '{checkpoint}' -ModelPath '{store}'").ThrowIfErrors();
        var get = $"Get-AudioEmbedding -LiteralPath '{Path.Combine(library, "input.wav")}' -Model EnCodecMAE -Variant tiny-mel256 -ModelPath '{store}' -OutputDirectory '{output}'";
        host.Run($"{get} | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();

        // A custom variant is not the default configuration: its files live in their own configuration folder, so the
        // default configuration's status still misses the song.
        var report = host.Run($"Get-EmbeddingStatus '{library}' -Model EnCodecMAE -OutputDirectory '{output}' -ModelPath '{store}'").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((0, 0, 1), (report.Valid, report.Invalid, report.Missing));
        var byVariant = host.Run($"Get-EmbeddingStatus '{library}' -Model EnCodecMAE -Variant tiny-mel256 -OutputDirectory '{output}' -ModelPath '{store}'").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((1, 0, 0, 0), (byVariant.Valid, byVariant.Invalid, byVariant.Missing, byVariant.Stale));
        var skipped = host.Run($"{get} -SkipExisting -Verbose").ThrowIfErrors();
        Assert.Empty(skipped.Output);
        Assert.Contains(skipped.Verbose, v => v.Contains("Skipping"));

        // And they agree the other way: a 32-wide file is not a valid embedding of the catalog's base variant.
        File.Copy(Path.Combine(byVariant.EmbeddingDirectory, "input.npy"), Path.Combine(output, "encodecmae", "input.npy"));
        var asBase = host.Run($"Get-EmbeddingStatus '{library}' -Model EnCodecMAE -Variant mel256-ec-base_st -OutputDirectory '{output}' -ModelPath '{store}'").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal(1, asBase.Invalid);
        Assert.Contains(32, new ModelStore(store, TestStore.Catalog).EmbeddingDimensions("EnCodecMAE", "tiny-mel256"));
    }
}
