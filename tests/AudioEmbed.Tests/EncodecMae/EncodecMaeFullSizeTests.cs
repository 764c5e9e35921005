using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.Checkpoints;
using AudioEmbed.Tests.Resampling;
using static AudioEmbed.Tests.EncodecMae.EncodecMaeTestSupport;

namespace AudioEmbed.Tests.EncodecMae;

/// <summary>
/// The real mel256-ec-base_st layout at full size (sparse synthesised weights: zeros plus markers): converts, loads in
/// ONNX Runtime and yields 768-wide frames with upstream's frame counts. (Large has the same structure with 1020-wide
/// attention, which the tiny fixture already exercises numerically; its ~445 MB graph is only shape-checked, in
/// <see cref="EncodecMaeCheckpointTests"/>, to keep the suite light.)
/// </summary>
public sealed class EncodecMaeFullSizeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void BaseLayout_ConvertsAndRuns()
    {
        string checkpoint = _dir.File("base.pt");
        WriteCheckpoint(checkpoint, File.ReadAllText(Fixture("real_base_config.gin")), Entries(Fixture("real_base_state_dict.json")));
        string onnx = Convert(_dir, checkpoint);
        // The feature path only (no decoder/head), with the shared FFN stored once: post_net, 10 × (4 attention
        // matrices + 2 norms), one FFN, the final norm and the 300 × 768 positional table, as float32 bytes.
        const long d = 768, f = 4096;
        long floats = (256 * d + d) + 10 * (4 * d * d + 4 * d) + (2 * f * d + f + d) + 2 * d + 300 * d + 1;
        long size = new FileInfo(onnx).Length;
        Assert.InRange(size, floats * 4, floats * 4 + 200_000); // + graph structure and names

        var samples = new float[96000 + 30000]; // one full chunk and a 30000-sample tail: 300 + 93 frames
        for (int i = 0; i < samples.Length; i++) samples[i] = (float)(0.3 * Math.Sin(i * 0.05));
        using var source = new ResamplingArraySource(samples, 24000, 1);
        var rows = new EncodecMaeExtractor(onnx, ExecutionDevice.Cpu, 0).Extract(source, "last", new EmbeddingRequest(), CancellationToken.None);
        Assert.Equal(768, rows.Dimension);
        Assert.Equal(300 + 93, rows.RowCount);
        Assert.All(rows.Rows, v => Assert.True(float.IsFinite(v)));
    }
}
