using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// With -Pooling None every row has its start time in seconds, from sample indices at the model's rate (a MusiCNN
/// patch every 187 × 256 samples at 16 kHz; a MERT frame every 320 samples within each chunk), on the object and,
/// with Export-EmbeddingNpy -IncludeTimes, in &lt;song&gt;.times.npy (float64) beside the sequence.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class FrameTimesTests
{
    [SkippableFact]
    public void MusicnnPatches_StartEvery187Hops_OnTheObjectAndInTimesNpy()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var dir = TestStore.TempDir("times");
        var output = TestStore.TempDir("out");
        var wav = TestAudio.Tone(dir, "song.wav", 10, 22050);
        using var host = new ModuleHost();
        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Pooling None").ThrowIfErrors().Single<AudioEmbedding>();
        var times = Assert.IsType<double[]>(e.FrameTimes);
        Assert.Equal(e.Sequence!.Length, times.Length);
        Assert.Equal(3, times.Length); // 10 s: three whole 3-s patches
        for (int p = 0; p < times.Length; p++) Assert.Equal(p * 187 * 256 / 16000.0, times[p]);

        host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Pooling None | Export-EmbeddingNpy -OutputDirectory '{output}' -IncludeTimes").ThrowIfErrors();
        // -Pooling None has its own configuration folder below musicnn/; the times sit beside the sequence.
        var written = NpyReader.Read(Directory.GetFiles(Path.Combine(output, "musicnn"), "song.times.npy", SearchOption.AllDirectories).Single());
        Assert.Equal("<f8", written.DType);
        Assert.Equal(new[] { times.Length }, written.Shape);
        Assert.Equal(times, written.Values);
        // The times file is not an embedding: the status of that configuration counts one valid file and no orphan.
        var status = host.Run($"Get-EmbeddingStatus -AudioPath '{dir}' -OutputDirectory '{output}' -Model MusiCNN -Pooling None").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal(1, status.Valid);
        Assert.Equal(0, status.Orphaned);
    }

    [SkippableFact]
    public void MertFrames_StartFromTheirChunkAndFrameIndex_WithoutDrift()
    {
        var folder = SharedData.Require("fixtures", "mert", "tiny-95m-style");
        var store = TestStore.TempDir("store");
        var dir = TestStore.TempDir("times");
        // 2.5 s at 24 kHz with 1-s chunks: two whole chunks of 74 frames and a half chunk of 37.
        var wav = TestAudio.Tone(dir, "song.wav", 2.5, 24000);
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel Mert -Variant MERT-v1-95M -Name tiny -SourcePath '{folder}' -ModelPath '{store}'").ThrowIfErrors();
        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model Mert -Variant tiny -ModelPath '{store}' -Pooling None -ChunkSeconds 1").ThrowIfErrors().Single<AudioEmbedding>();
        var times = Assert.IsType<double[]>(e.FrameTimes);
        Assert.Equal(e.Sequence!.Length, times.Length);
        var expected = new List<double>();
        foreach (var (start, samples) in new[] { (0, 24000), (24000, 24000), (48000, 12000) })
            for (int t = 0; t < ConvFrames(samples); t++) expected.Add((start + t * 320) / 24000.0);
        Assert.Equal(expected, times);
    }

    /// <summary>Frames of MERT's conv feature encoder (kernels 10,3,3,3,3,2,2; strides 5,2,2,2,2,2,2) for n samples.</summary>
    private static int ConvFrames(int n)
    {
        foreach (var (k, s) in new[] { (10, 5), (3, 2), (3, 2), (3, 2), (3, 2), (2, 2), (2, 2) }) n = (n - k) / s + 1;
        return n;
    }

    [SkippableFact]
    public void PooledEmbeddings_HaveNoTimes_AndIncludeTimesWarns()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var dir = TestStore.TempDir("times");
        var output = TestStore.TempDir("out");
        var wav = TestAudio.Tone(dir, "song.wav", 4, 16000);
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' | Export-EmbeddingNpy -OutputDirectory '{output}' -IncludeTimes").ThrowIfErrors();
        Assert.Contains(r.Warnings, w => w.Contains("no frame times"));
        Assert.False(File.Exists(Path.Combine(output, "musicnn", "song.times.npy")));
        Assert.True(File.Exists(Path.Combine(output, "musicnn", "song.npy")));
    }
}
