using System.Diagnostics;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// Several models in one pass (Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE) against three separate passes,
/// in the same run, one worker: MusiCNN MTT_musicnn (../shared/models/musicnn), MERT-v1-95M and EnCodecMAE-base with
/// random weights of the real shapes (RandomModels). The songs are real ones of ../shared cut to 12 s: the 44.1 kHz
/// FLAC test-suite song (7 s) and the 22.05 kHz MP3 song, plus a generated 44.1 kHz stereo song, written as WAV
/// files. The one-pass results are checked bit for bit against the separate passes.
/// </summary>
internal static class MultiModelBench
{
    private const double Seconds = 12;

    public static void Run(Report report)
    {
        var shared = Paths.Shared();
        if (shared is null || !File.Exists(Path.Combine(shared, "models", "musicnn", "MTT_musicnn.h5"))) { report.Add("multimodel", "skipped", "../shared not found"); return; }
        var dir = Path.Combine(Path.GetTempPath(), $"audioembed-bench-multimodel-{Environment.ProcessId}");
        try
        {
            var catalog = ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json"));
            var store = new ModelStore(Path.Combine(dir, "home"), catalog);
            var musicnn = store.Install(new InstallRequest("MusiCNN") { Variant = "MTT_musicnn", SourcePath = Path.Combine(shared, "models", "musicnn", "MTT_musicnn.h5") }, null, CancellationToken.None);
            var mert = RandomModels.InstalledMert(Path.Combine(dir, "mert"), "real_95M_state_dict.json", "MERT-v1-95M");
            var encodec = RandomModels.InstalledEncodecMae(Path.Combine(dir, "encodecmae"), "real_base", "mel256-ec-base_st");
            if (mert is null || encodec is null) { report.Add("multimodel", "skipped", "../shared/fixtures/mert or encodecmae not found"); return; }
            var jobs = new[]
            {
                new ModelJob(musicnn, new EmbeddingRequest { Model = "MusiCNN" }),
                new ModelJob(mert.Value.Model, new EmbeddingRequest { Model = "Mert" }),
                new ModelJob(encodec.Value.Model, new EmbeddingRequest { Model = "EnCodecMAE" }),
            };
            var songs = Songs(shared, Path.Combine(dir, "songs"));
            var engine = new EmbeddingEngine(store);
            var multi = new MultiModelEmbedder(engine);
            foreach (var job in jobs) engine.Embed(songs[0], job.Model, job.Request, CancellationToken.None); // sessions and first-run allocations

            var clock = Stopwatch.StartNew();
            var separate = jobs.Select(job => songs.Select(song => engine.Embed(song, job.Model, job.Request, CancellationToken.None)).ToArray()).ToArray();
            var separateTime = clock.Elapsed;
            clock.Restart();
            var onePass = songs.Select(song => multi.Embed(song, jobs, CancellationToken.None)).ToArray();
            var onePassTime = clock.Elapsed;

            for (int s = 0; s < songs.Length; s++)
                for (int m = 0; m < jobs.Length; m++)
                {
                    var outcome = onePass[s][m];
                    if (outcome.Error is { } error) throw new InvalidOperationException($"{outcome.Job.Model.Manifest.Family} failed on {songs[s]}", error);
                    if (!outcome.Embedding!.Vector.AsSpan().SequenceEqual(separate[m][s].Vector))
                        throw new InvalidOperationException($"{outcome.Job.Model.Manifest.Family} on {songs[s]}: one pass differs from its separate pass");
                }

            string what = $"3 models (MusiCNN, MERT-95M, EnCodecMAE-base), {songs.Length} songs of ≤ {Seconds:0} s, 1 worker";
            double separatePerMinute = songs.Length / separateTime.TotalMinutes, onePassPerMinute = songs.Length / onePassTime.TotalMinutes;
            report.Add($"{what}: three separate passes", $"{separatePerMinute:0.0} files/min", $"{separateTime.TotalSeconds:0.0} s (each file decoded and resampled 3×)");
            report.Add($"{what}: one pass", $"{onePassPerMinute:0.0} files/min", $"{onePassTime.TotalSeconds:0.0} s, {onePassPerMinute / separatePerMinute:0.00}× the separate passes; results bit-identical");
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>Real songs of ../shared, their first <see cref="Seconds"/> as float WAV files at their own rate, and a generated 44.1 kHz one.</summary>
    private static string[] Songs(string shared, string folder)
    {
        Directory.CreateDirectory(folder);
        var sources = new[] { Path.Combine(shared, "fixtures", "flac", "subset-01-blocksize_4096.flac"), Path.Combine(shared, "audio", "TRWJAZW128F42760DD_test.mp3") };
        var songs = new List<string>();
        foreach (var source in sources)
        {
            using var audio = AudioFile.Open(source, DecoderOptions.Default, CancellationToken.None);
            var samples = new float[(int)(Seconds * audio.SampleRate) * audio.Channels];
            int frames = 0, n;
            while (frames * audio.Channels < samples.Length && (n = audio.Read(samples.AsSpan(frames * audio.Channels))) > 0) frames += n;
            var path = Path.Combine(folder, Path.GetFileNameWithoutExtension(source) + ".wav");
            WavFile.Write(path, samples[..(frames * audio.Channels)], audio.SampleRate, audio.Channels);
            songs.Add(path);
        }
        var generated = Path.Combine(folder, "generated-44k.wav");
        WavFile.Write(generated, Signals.Stereo(44100, Seconds), 44100, 2);
        songs.Add(generated);
        return songs.ToArray();
    }
}
