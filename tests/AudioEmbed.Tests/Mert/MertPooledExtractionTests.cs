using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.Mert;

/// <summary>
/// Pooled extraction (what Get-AudioEmbedding uses unless -Pooling None) folds every chunk's frames into the running
/// mean or max instead of keeping the sequence, so a long file's memory stays flat; its result equals pooling the
/// kept rows. And a request's -ChunkSeconds longer than the extractor's default works.
/// </summary>
public class MertPooledExtractionTests : IDisposable
{
    private const int Rate = 24000;
    private readonly MertTempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string? _onnx;

    private MertExtractor Extractor(double chunkSeconds) =>
        new(_onnx ??= MertFixtures.Convert("tiny-95m-style", "model.safetensors", _dir.Path), ExecutionDevice.Cpu, 0, chunkSeconds);

    /// <summary>input_1 four times, then input_2: five chunks of input_1's length, the last shorter.</summary>
    private static float[] Audio()
    {
        var x1 = MertFixtures.Npy("tiny-95m-style", "input_1.npy").ToFloat32();
        var x2 = MertFixtures.Npy("tiny-95m-style", "input_2.npy").ToFloat32();
        return Enumerable.Repeat(x1, 4).SelectMany(a => a).Concat(x2).ToArray();
    }

    [SkippableTheory]
    [InlineData("last", Pooling.Mean)]
    [InlineData("last", Pooling.Max)]
    [InlineData("all", Pooling.Mean)]
    [InlineData("average", Pooling.Max)]
    [InlineData("1", Pooling.Mean)]
    public void ExtractPooled_EqualsPoolingTheKeptRows(string layer, Pooling pooling)
    {
        var audio = Audio();
        var extractor = Extractor(76800 / (double)Rate);
        var request = new EmbeddingRequest { Model = "Mert", Pooling = pooling };
        var kept = extractor.Extract(new MertArraySource(audio, Rate), layer, request, CancellationToken.None);
        IEmbeddingExtractor asEngineSeesIt = extractor;
        var pooled = asEngineSeesIt.ExtractPooled(new MertArraySource(audio, Rate), layer, request, CancellationToken.None);

        Assert.Equal(4 * 239 + 102, kept.RowCount);
        Assert.Equal(1, pooled.RowCount);
        Assert.Equal(kept.Dimension, pooled.Dimension);
        Assert.Equal(kept.Patches, pooled.Patches);
        Assert.Equal(kept.DecodedFrames, pooled.DecodedFrames);
        var expected = pooling == Pooling.Max ? Pooler.Max(kept.Rows, kept.RowCount, kept.Dimension) : Pooler.Mean(kept.Rows, kept.RowCount, kept.Dimension);
        // Two runs of the same session on the same chunks: equal up to float noise (1e-6 abs, values are O(1)).
        Tolerance.AllClose(expected, pooled.Rows, 1e-6, 0, $"pooled {layer} {pooling}");
    }

    [SkippableFact]
    public void ExtractPooled_AllocatesFarLessThanTheSequence()
    {
        // 6 minutes, -Layer all: 26,800 frames × 96 values = 10 MB of rows kept (more with the list's growth).
        var x1 = MertFixtures.Npy("tiny-95m-style", "input_1.npy").ToFloat32();
        var audio = Enumerable.Repeat(x1, 112).SelectMany(a => a).ToArray();
        IEmbeddingExtractor extractor = Extractor(MertExtractor.DefaultChunkSeconds);
        var request = new EmbeddingRequest { Model = "Mert" };
        extractor.ExtractPooled(new MertArraySource(x1, Rate), "all", request, CancellationToken.None); // warm the session

        long before = GC.GetAllocatedBytesForCurrentThread();
        var kept = extractor.Extract(new MertArraySource(audio, Rate), "all", request, CancellationToken.None);
        long keptBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var pooled = extractor.ExtractPooled(new MertArraySource(audio, Rate), "all", request, CancellationToken.None);
        long pooledBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        long sequenceBytes = (long)kept.RowCount * kept.Dimension * sizeof(float);
        Assert.True(keptBytes >= sequenceBytes, $"kept: {keptBytes} bytes allocated for a {sequenceBytes}-byte sequence");
        // Keeping allocates the sequence at least twice (list growth, then the array); pooling allocates only per-chunk
        // garbage (measured: ~36 KB a chunk, a quarter of this sequence), none of it kept.
        Assert.True(pooledBytes < sequenceBytes / 2, $"pooled extraction allocated {pooledBytes} bytes; the sequence is {sequenceBytes}");
        Assert.Equal(kept.Dimension, pooled.Rows.Length);
    }

    [SkippableFact]
    public void RequestChunkSeconds_LongerThanTheDefault_EqualsAnExtractorWithThatDefault()
    {
        var audio = Audio();
        double shortChunk = 76800 / (double)Rate, longChunk = 2 * shortChunk;
        var expected = Extractor(longChunk).Extract(new MertArraySource(audio, Rate), "last", new EmbeddingRequest(), CancellationToken.None);
        var actual = Extractor(shortChunk).Extract(new MertArraySource(audio, Rate), "last", new EmbeddingRequest { Options = FamilyOptions.Empty.With(MertOptions.ChunkSeconds, longChunk) }, CancellationToken.None);
        Assert.Equal(3, actual.Patches);
        Assert.Equal(expected.RowCount, actual.RowCount);
        Tolerance.AllClose(expected.Rows, actual.Rows, 1e-6, 0, "request chunk length");
    }
}
