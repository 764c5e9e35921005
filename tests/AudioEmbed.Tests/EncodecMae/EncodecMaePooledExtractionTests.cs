using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.Checkpoints;
using AudioEmbed.Tests.Resampling;
using static AudioEmbed.Tests.EncodecMae.EncodecMaeTestSupport;

namespace AudioEmbed.Tests.EncodecMae;

/// <summary>
/// Pooled extraction (Get-AudioEmbedding unless -Pooling None) folds each batch's frames into the running mean or max
/// instead of keeping the sequence (-Layer all of a 20-minute file would be 2.8 GB of rows); it equals pooling the
/// kept rows, and the upstream mean_pooled reference (1e-4 abs, fixtures README).
/// </summary>
public sealed class EncodecMaePooledExtractionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableTheory]
    [InlineData("last", Pooling.Mean)]
    [InlineData("last", Pooling.Max)]
    [InlineData("all", Pooling.Mean)]
    [InlineData("average", Pooling.Mean)]
    [InlineData("0", Pooling.Max)]
    public void ExtractPooled_EqualsPoolingTheKeptRows(string layer, Pooling pooling)
    {
        var input = Npy("tiny-mel256", "input.npy");
        IEmbeddingExtractor extractor = new EncodecMaeExtractor(Convert(_dir, Fixture("tiny-mel256", "model.pt")), ExecutionDevice.Cpu, 0);
        var request = new EmbeddingRequest { Model = "EnCodecMAE", Pooling = pooling };
        LayerRows kept, pooled;
        using (var source = new ResamplingArraySource(input, 24000, 1, maxFramesPerRead: 5000)) kept = extractor.Extract(source, layer, request, CancellationToken.None);
        using (var source = new ResamplingArraySource(input, 24000, 1, maxFramesPerRead: 5000)) pooled = extractor.ExtractPooled(source, layer, request, CancellationToken.None);

        Assert.Equal(712, kept.RowCount);
        Assert.Equal(1, pooled.RowCount);
        Assert.Equal(kept.Dimension, pooled.Dimension);
        Assert.Equal(kept.Patches, pooled.Patches);
        Assert.Equal(kept.DecodedFrames, pooled.DecodedFrames);
        var expected = pooling == Pooling.Max ? Pooler.Max(kept.Rows, kept.RowCount, kept.Dimension) : Pooler.Mean(kept.Rows, kept.RowCount, kept.Dimension);
        // Two runs of the same session on the same input: equal up to float noise (1e-6 abs).
        Tolerance.AllClose(expected, pooled.Rows, 1e-6, 0, $"pooled {layer} {pooling}");
        if (layer == "last" && pooling == Pooling.Mean)
            Tolerance.AllClose(Npy("tiny-mel256", "mean_pooled.npy"), pooled.Rows, 1e-4, 0, "upstream mean_pooled");
    }
}
