using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>
/// Converts a musicnn VGG Keras checkpoint (MTT_vgg, MSD_vgg): five blocks of 3×3 conv → ReLU → BN →
/// max-pool over (time, band), then a linear layer. The Keras files stop at the logits; the original
/// musicnn applied a sigmoid for the taggram, so the graph does too.
/// </summary>
internal static class VggGraph
{
    private const int Filters = 128;

    public static OnnxGraphBuilder Build(KerasH5Checkpoint ck)
    {
        var g = new OnnxGraphBuilder("musicnn_vgg");
        var patches = g.Input("patches", new long?[] { null, MusicnnGraph.Frames, MusicnnGraph.Bands }, new[] { "batch", "frames", "bands" });
        var x = MusicnnGraph.BatchNorm(g, ck, "bn_input", g.Unsqueeze(patches, 1), 1);

        // pool1 keeps every second band (window 1, stride 2); pools 2-4 are 2×2; pool5 is 4×4.
        var pools = new (long[] Kernel, long[] Stride)[] { (new long[] { 4, 1 }, new long[] { 2, 2 }), (new long[] { 2, 2 }, new long[] { 2, 2 }),
            (new long[] { 2, 2 }, new long[] { 2, 2 }), (new long[] { 2, 2 }, new long[] { 2, 2 }), (new long[] { 4, 4 }, new long[] { 4, 4 }) };
        int inChannels = 1;
        string pool4 = x;
        for (int block = 1; block <= 5; block++)
        {
            string conv = $"{block}CNN";
            var k = ck.Weight(conv, "kernel", 3, 3, inChannels, Filters);
            var w = g.Initializer($"{conv}.weight", KerasLayout.HwioToOihw(k, 3, 3, inChannels, Filters), Filters, inChannels, 3, 3);
            var b = g.Initializer($"{conv}.bias", ck.Weight(conv, "bias", Filters), Filters);
            x = g.Relu(g.Conv(x, w, b, new long[] { 3, 3 }, new long[] { 1, 1, 1, 1 }));
            x = MusicnnGraph.BatchNorm(g, ck, $"bn_conv{block}", x, Filters);
            x = g.MaxPool(x, pools[block - 1].Kernel, pools[block - 1].Stride);
            if (block == 4) pool4 = x;
            inChannels = Filters;
        }
        // pool5 is (N, 128, 2, 1); Keras flattens NHWC, index = (time * 1 + band) * 128 + channel.
        var pool5 = g.Reshape(g.Transpose(x, 0, 2, 3, 1), -1, 2, Filters);   // (N, 2, 128)
        var flat = g.Reshape(pool5, -1, 2 * Filters);
        var logits = MusicnnGraph.Dense(g, ck, "output", flat, 2 * Filters, 50);

        g.Output(g.Sigmoid(logits), "taggram");
        g.Output(logits, "logits");
        g.Output(pool5, "pool5");
        g.Output(g.Transpose(pool4, 0, 2, 3, 1), "pool4");                 // (N, 11, 6, 128), NHWC like the reference
        return g;
    }
}
