using System.IO.Compression;
using System.Text;
using AudioEmbed.Core.Library;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.PowerShell;
using DuckDB.NET.Data;

namespace AudioEmbed.Tests.Library;

/// <summary>Find-SimilarAudio, Export-EmbeddingTable and Compare-AudioEmbedding through the module, on a small real MusiCNN library.</summary>
[Collection(PowerShellCollection.Name)]
public class LibraryCmdletTests
{
    /// <summary>Five tones embedded with MusiCNN and exported; a fake second model (random 768-d vectors) for combinations.</summary>
    private static (string Audio, string Out, string[] Files) Library(ModuleHost host, bool withMert = false)
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("library");
        var files = Enumerable.Range(0, 5).Select(i => TestAudio.Tone(audio, $"s{i}.wav", 3.2, hz: 200 + 150 * i)).ToArray();
        var output = TestStore.TempDir("out");
        host.Run($"[System.IO.Directory]::GetFiles('{audio}', '*.wav') | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        if (withMert)
        {
            var rng = new Random(1);
            foreach (var f in files.Take(4)) // s4 has no MERT embedding
                using (var s = File.Create(Path.Combine(Directory.CreateDirectory(Path.Combine(output, "mert")).FullName, Path.GetFileNameWithoutExtension(f) + ".npy")))
                    NpyWriter.Write(s, Enumerable.Range(0, 768).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(), new[] { 768 });
        }
        return (audio, output, files);
    }

    private static float[] Stored(string output, string model, string song) => NpyReader.Read(Path.Combine(output, model, song + ".npy")).ToFloat32();

    [SkippableFact]
    public void FindSimilarAudio_RanksByCosine_ExcludesTheQuery_FromFileEmbeddingOrVector()
    {
        using var host = new ModuleHost();
        var (audio, output, files) = Library(host);
        var r = host.Run($"Find-SimilarAudio '{files[0]}' -OutputDirectory '{output}' -Top 3").ThrowIfErrors();
        var hits = r.All<SimilarAudio>().ToList();
        Assert.Equal(new[] { 1, 2, 3 }, hits.Select(h => h.Rank));
        Assert.DoesNotContain(hits, h => h.Name == "s0");
        var expected = Enumerable.Range(1, 4).Select(i => (Name: $"s{i}", Score: Similarity.Cosine(Stored(output, "musicnn", "s0"), Stored(output, "musicnn", $"s{i}"))))
            .OrderByDescending(p => p.Score).Take(3).ToList();
        Assert.Equal(expected.Select(e => e.Name), hits.Select(h => h.Name));
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i].Score, hits[i].Score, 5);
        Assert.Equal(Path.Combine(audio, hits[0].Name + ".wav"), hits[0].AudioPath); // from manifest.jsonl
        Assert.Equal("s0", hits[0].Query);

        // The same query as an object from the pipeline, and as a raw vector (which excludes nothing).
        var piped = host.Run($"Get-AudioEmbedding '{files[0]}' | Find-SimilarAudio -OutputDirectory '{output}' -Top 3").ThrowIfErrors().All<SimilarAudio>();
        Assert.Equal(hits.Select(h => h.Name), piped.Select(h => h.Name));
        var byVector = host.Run($"Find-SimilarAudio -Vector $v -OutputDirectory '{output}' -Top 1", new Dictionary<string, object?> { ["v"] = Stored(output, "musicnn", "s3") }).ThrowIfErrors().Single<SimilarAudio>();
        Assert.Equal(("s3", 1.0), (byVector.Name, Math.Round(byVector.Score, 5)));

        // A song not in the library is computed on the fly; nothing of the library is excluded.
        var fresh = TestAudio.Tone(TestStore.TempDir("new"), "new.wav", 3.2, hz: 333);
        Assert.Equal(5, host.Run($"Find-SimilarAudio '{fresh}' -OutputDirectory '{output}' -Verbose").ThrowIfErrors().Output.Count);

        // The cache is in place and reused.
        var again = host.Run($"Find-SimilarAudio '{files[0]}' -OutputDirectory '{output}' -Top 3 -Verbose").ThrowIfErrors();
        Assert.Contains(again.Verbose, v => v.Contains("search matrix current"));
    }

    [SkippableFact]
    public void FindSimilarAudio_BadInput_SaysWhatAndWhere()
    {
        using var host = new ModuleHost();
        var (_, output, files) = Library(host);
        var wrong = host.Run($"Find-SimilarAudio -Vector $v -OutputDirectory '{output}'", new Dictionary<string, object?> { ["v"] = new float[10] });
        Assert.Contains("AudioEmbed.DimensionMismatch", Assert.Single(wrong.Errors).FullyQualifiedErrorId);
        Assert.Contains("753", wrong.Errors[0].Exception.Message);

        var emptyDir = TestStore.TempDir("empty");
        var empty = host.Run($"Find-SimilarAudio '{files[0]}' -OutputDirectory '{emptyDir}'");
        Assert.Contains("AudioEmbed.LibraryEmpty", Assert.Single(empty.Errors).FullyQualifiedErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(emptyDir)); // a mistyped folder is not littered with a cache

        // A file of another configuration in the folder (per its manifest line) and an unreadable one: warnings naming them, left out.
        var root = Path.Combine(output, "musicnn");
        using (var s = File.Create(Path.Combine(root, "tags.npy"))) NpyWriter.Write(s, new float[753], new[] { 753 });
        EmbeddingManifest.Append(root, new EmbeddingRecord { Output = "tags.npy", Variant = "MSD_musicnn", Layer = "mean_pool", Pooling = "Mean" });
        File.WriteAllText(Path.Combine(root, "broken.npy"), "x");
        var r = host.Run($"Find-SimilarAudio '{files[0]}' -OutputDirectory '{output}'").ThrowIfErrors();
        Assert.Equal(4, r.Output.Count);
        Assert.Contains(r.Warnings, w => w.Contains("tags.npy") && w.Contains("variant MSD_musicnn"));
        Assert.Contains(r.Warnings, w => w.Contains("broken.npy") && w.Contains("cannot be read"));
    }

    [SkippableFact]
    public void FindSimilarAudio_SeveralModels_ConcatenateUnitVectors_Weighted()
    {
        using var host = new ModuleHost();
        var (_, output, files) = Library(host, withMert: true);
        var r = host.Run($"Find-SimilarAudio '{files[0]}' -OutputDirectory '{output}' -Model MusiCNN, Mert -Weight 1, 2").ThrowIfErrors();
        Assert.Contains(r.Warnings, w => w.Contains("1 songs are not in every model's library"));
        var hits = r.All<SimilarAudio>().ToList();
        Assert.Equal(3, hits.Count); // s1..s3: s0 is the query, s4 has no MERT embedding
        foreach (var h in hits)
        {
            double musicnn = Similarity.Cosine(Stored(output, "musicnn", "s0"), Stored(output, "musicnn", h.Name));
            double mert = Similarity.Cosine(Stored(output, "mert", "s0"), Stored(output, "mert", h.Name));
            Assert.Equal((1 * musicnn + 4 * mert) / 5, h.Score, 5); // cosine of [u_musicnn, 2·u_mert]
            Assert.Equal("MusiCNN+Mert", h.Model);
        }
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [SkippableFact]
    public void ExportEmbeddingTable_Parquet_ReadsBackInDuckDB()
    {
        using var host = new ModuleHost();
        var (audio, output, _) = Library(host, withMert: true);
        var table = Path.Combine(TestStore.TempDir("table"), "library.parquet");
        var result = host.Run($"Export-EmbeddingTable -Path '{table}' -OutputDirectory '{output}'").ThrowIfErrors().Output.Single();
        Assert.Equal((9, "Parquet"), ((int)result.Properties["Rows"].Value, (string)result.Properties["Format"].Value));

        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT song, audio_path, model, variant, layer, pooling, dimension, len(vector), module_version, model_hash, vector, typeof(vector) FROM read_parquet('{table}') ORDER BY model, song";
        using var reader = cmd.ExecuteReader();
        var rows = new List<(string Song, string Audio, string Model, string Variant, string Layer, string Pooling, int Dim, long Len, string Version, string Hash, List<float> Vector, string Type)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6),
                Convert.ToInt64(reader.GetValue(7)), reader.GetString(8), reader.GetString(9), reader.GetFieldValue<List<float>>(10), reader.GetString(11)));
        Assert.Equal(9, rows.Count);
        Assert.Equal(new[] { "Mert", "Mert", "Mert", "Mert", "MusiCNN", "MusiCNN", "MusiCNN", "MusiCNN", "MusiCNN" }, rows.Select(r => r.Model));
        var s0 = rows.Single(r => r.Model == "MusiCNN" && r.Song == "s0");
        Assert.Equal((Path.Combine(audio, "s0.wav"), "MTT_musicnn", "mean_pool", "Mean", 753, 753L), (s0.Audio, s0.Variant, s0.Layer, s0.Pooling, s0.Dim, s0.Len));
        Assert.Equal(64, s0.Hash.Length);
        Assert.False(string.IsNullOrEmpty(s0.Version));
        Assert.Equal("FLOAT[]", s0.Type);
        Assert.Equal(Stored(output, "musicnn", "s0"), s0.Vector.ToArray());
        var m2 = rows.Single(r => r.Model == "Mert" && r.Song == "s2");
        Assert.Equal((768, "", "MERT-v1-95M"), (m2.Dim, m2.Audio, m2.Variant)); // written without a manifest: no audio path
        Assert.Equal(Stored(output, "mert", "s2"), m2.Vector.ToArray());
    }

    [SkippableFact]
    public void ExportEmbeddingTable_Npz_ReadsBackAsNumpyWould()
    {
        using var host = new ModuleHost();
        var (_, output, _) = Library(host);
        var npz = Path.Combine(TestStore.TempDir("table"), "library.npz");
        host.Run($"Export-EmbeddingTable '{npz}' -OutputDirectory '{output}' -Model MusiCNN").ThrowIfErrors();
        using var zip = ZipFile.OpenRead(npz);
        Assert.Equal(new[] { "audio_paths.npy", "keys.npy", "names.npy", "vectors.npy" }, zip.Entries.Select(e => e.FullName).Order());
        var names = ReadUnicodeNpy(zip.GetEntry("names.npy")!);
        Assert.Equal(new[] { "s0", "s1", "s2", "s3", "s4" }, names);
        using var ms = new MemoryStream();
        using (var s = zip.GetEntry("vectors.npy")!.Open()) s.CopyTo(ms);
        ms.Position = 0;
        var vectors = NpyReader.Read(ms, "vectors.npy");
        Assert.Equal(new[] { 5, 753 }, vectors.Shape);
        Assert.Equal("<f4", vectors.DType);
        for (int i = 0; i < 5; i++) Assert.Equal(Stored(output, "musicnn", names[i]), vectors.Row(i));

        // numpy itself, when this machine has it (CI installs Debian's python3-numpy).
        var check = "import numpy as np,sys; d=np.load(sys.argv[1]); n=d['names']; v=d['vectors']; " +
                    "assert n.dtype.kind=='U' and list(n)==['s0','s1','s2','s3','s4'], n; assert v.dtype==np.float32 and v.shape==(5,753), v.shape; " +
                    "assert np.array_equal(v[2], np.load(sys.argv[2])); print('ok')";
        // The python3 on PATH first, then Debian's (where apt's python3-numpy goes when a pyenv python3 shadows it).
        var (code, stdout, stderr) = RunPython("python3", check, npz, Path.Combine(output, "musicnn", "s2.npy"));
        if (code == null || stderr.Contains("No module named 'numpy'"))
            (code, stdout, stderr) = RunPython("/usr/bin/python3", check, npz, Path.Combine(output, "musicnn", "s2.npy"));
        Skip.If(code == null || stderr.Contains("No module named 'numpy'"), "python3 with numpy is not installed (apt-get install -y python3-numpy); the C# reader above checked the file");
        Assert.True(code == 0 && stdout.Trim() == "ok", $"numpy could not read the npz: {stderr}");
    }

    private static string[] ReadUnicodeNpy(ZipArchiveEntry entry)
    {
        using var ms = new MemoryStream();
        using (var s = entry.Open()) s.CopyTo(ms);
        var bytes = ms.ToArray();
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        var descr = System.Text.RegularExpressions.Regex.Match(header, @"'descr': '<U(\d+)'");
        Assert.True(descr.Success, header);
        int width = int.Parse(descr.Groups[1].Value);
        int count = int.Parse(System.Text.RegularExpressions.Regex.Match(header, @"'shape': \((\d+),\)").Groups[1].Value);
        return Enumerable.Range(0, count).Select(i => Encoding.UTF32.GetString(bytes, 10 + headerLength + i * width * 4, width * 4).TrimEnd('\0')).ToArray();
    }

    private static (int? Code, string Stdout, string Stderr) RunPython(string python, string code, params string[] args)
    {
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(code);
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(60_000)) { p.Kill(); return (null, "", "timeout"); }
            return (p.ExitCode, stdout.Result, stderr);
        }
        catch (System.ComponentModel.Win32Exception) { return (null, "", "python3 not found"); }
    }

    [SkippableFact]
    public void CompareAudioEmbedding_PerSongAndSummary()
    {
        using var host = new ModuleHost();
        var (_, output, _) = Library(host);
        // The "old" folder: the Python pipeline's layout (no manifest), one song changed, one missing, one extra.
        var old = TestStore.TempDir("old");
        Directory.CreateDirectory(Path.Combine(old, "musicnn"));
        foreach (var f in Directory.GetFiles(Path.Combine(output, "musicnn"), "*.npy")) File.Copy(f, Path.Combine(old, "musicnn", Path.GetFileName(f)));
        var changed = Stored(output, "musicnn", "s1").Select((x, i) => x + (i % 2 == 0 ? 0.01f : -0.01f)).ToArray();
        using (var s = File.Create(Path.Combine(old, "musicnn", "s1.npy"))) NpyWriter.Write(s, changed, new[] { 753 });
        File.Delete(Path.Combine(old, "musicnn", "s4.npy"));
        File.Copy(Path.Combine(output, "musicnn", "s0.npy"), Path.Combine(old, "musicnn", "gone.npy"));

        var r = host.Run($"Compare-AudioEmbedding -ReferenceDirectory '{old}' -DifferenceDirectory '{output}'");
        Assert.Empty(r.Errors);
        var songs = r.Output.Select(o => o.BaseObject).OfType<EmbeddingComparison>().ToList();
        var summary = r.Output.Select(o => o.BaseObject).OfType<EmbeddingComparisonSummary>().Single();
        Assert.Equal(new[] { "s0", "s1", "s2", "s3" }, songs.Select(s => s.Name));
        Assert.All(songs.Where(s => s.Name != "s1"), s => Assert.Equal((1.0, 0.0), (Math.Round(s.Cosine, 12), s.MaxAbsDifference)));
        var s1 = songs.Single(s => s.Name == "s1");
        Assert.Equal(Similarity.Cosine(changed, Stored(output, "musicnn", "s1")), s1.Cosine, 9);
        Assert.Equal(0.01, s1.MaxAbsDifference, 5);
        Assert.Equal((4, s1.Cosine, "s1"), (summary.Compared, summary.MinCosine, summary.WorstSong));
        Assert.Equal(1.0, summary.MedianCosine, 9);
        Assert.Equal(new[] { "s4.npy" }, summary.MissingInReferenceSongs);
        Assert.Equal(new[] { "gone.npy" }, summary.MissingInDifferenceSongs);
        Assert.Contains(r.Warnings, w => w.Contains("missing"));

        // -Summary alone; the model folder itself as a side; a shape mismatch is reported, not compared.
        using (var s = File.Create(Path.Combine(old, "musicnn", "s2.npy"))) NpyWriter.Write(s, new float[2 * 753], new[] { 2, 753 });
        var only = host.Run($"Compare-AudioEmbedding '{Path.Combine(old, "musicnn")}' '{output}' -Summary");
        var sum = only.Single<EmbeddingComparisonSummary>();
        Assert.Equal((3, 1), (sum.Compared, sum.ShapeMismatches));
        Assert.Contains(only.Warnings, w => w.Contains("(2, 753)") && w.Contains("(753,)"));
    }
}
