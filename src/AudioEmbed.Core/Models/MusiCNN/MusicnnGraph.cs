using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>
/// Converts a musicnn Keras checkpoint (MTT_musicnn, MSD_musicnn) into an ONNX graph that takes
/// patches (batch, 187 frames, 96 mel bands) and returns every layer an embedding can come from.
/// Layout: the Keras graph is NHWC with H = time, W = mel band; here it is NCHW, so after the
/// frequency max-pool a branch is (batch, channels, time). Order inside each block is
/// conv → bias → ReLU → BN, so BN cannot be folded into the convolution (the front end moves it after the
/// band maximum instead, see <see cref="FrontBranch"/>).
/// </summary>
internal static class MusicnnGraph
{
    public const int Frames = 187;
    public const int Bands = 96;
    private const float BnEpsilon = 0.001f; // every BatchNormalization layer in the four files

    public static OnnxGraphBuilder Build(KerasH5Checkpoint ck)
    {
        var g = new OnnxGraphBuilder("musicnn");
        var patches = g.Input("patches", new long?[] { null, Frames, Bands }, new[] { "batch", "frames", "bands" });
        var x = g.Unsqueeze(patches, 1);                                   // (N, 1, 187, 96)
        x = BatchNorm(g, ck, "batch_normalization", x, 1);

        // Front-end. The timbral branches see the input zero-padded by 3 frames each side *after* the
        // input BN; Conv's own zero padding does exactly that.
        var timbralA = FrontBranch(g, ck, "conv2d", "batch_normalization_1", x, 7, 38, 204, padBefore: 3, padAfter: 3);
        var timbralB = FrontBranch(g, ck, "conv2d_1", "batch_normalization_2", x, 7, 67, 204, padBefore: 3, padAfter: 3);
        // Temporal branches: TensorFlow "same" padding with an even kernel puts the extra zero at the end.
        var t128 = FrontBranch(g, ck, "conv2d_2", "batch_normalization_3", x, 128, 1, 51, padBefore: 63, padAfter: 64);
        var t64 = FrontBranch(g, ck, "conv2d_3", "batch_normalization_4", x, 64, 1, 51, padBefore: 31, padAfter: 32);
        var t32 = FrontBranch(g, ck, "conv2d_4", "batch_normalization_5", x, 32, 1, 51, padBefore: 15, padAfter: 16);
        var front = g.Concat(1, timbralA, timbralB, t128, t64, t32);     // (N, 561, 187)

        // Mid-end: 1-D convolutions over time, dense/residual connections.
        var cnn1 = MidEnd(g, ck, "midend_conv1", "bn_midend_conv1", front, 561);
        var cnn2 = g.Add(MidEnd(g, ck, "midend_conv2", "bn_midend_conv2", cnn1, 64), cnn1);
        var cnn3 = g.Add(MidEnd(g, ck, "midend_conv3", "bn_midend_conv3", cnn2, 64), cnn2);
        var features = g.Concat(1, front, cnn1, cnn2, cnn3);             // (N, 753, 187)

        // Back-end: temporal pooling. Keras concatenates [max, mean] on a trailing axis and flattens,
        // so the 1506-vector interleaves them (2i = max, 2i+1 = mean); bn_flatpool and dense follow that.
        var maxPool = g.ReduceMax(features, 2);
        var meanPool = g.ReduceMean(features, 2);
        var flat = g.Reshape(g.Concat(2, g.Unsqueeze(maxPool, 2), g.Unsqueeze(meanPool, 2)), -1, 1506);
        flat = BatchNorm(g, ck, "bn_flatpool", flat, 1506);
        var dense = Dense(g, ck, "dense", flat, 1506, 200);
        var penultimate = BatchNorm(g, ck, "bn_dense", g.Relu(dense), 200);
        var logits = Dense(g, ck, "dense_1", penultimate, 200, 50);

        g.Output(g.Sigmoid(logits), "taggram");
        g.Output(logits, "logits");
        g.Output(meanPool, "mean_pool");
        g.Output(maxPool, "max_pool");
        g.Output(penultimate, "penultimate");
        // Frame-level features as the original extractor returns them: (N, 187, C).
        g.Output(g.Transpose(g.Concat(1, timbralA, timbralB), 0, 2, 1), "timbral");
        g.Output(g.Transpose(g.Concat(1, t128, t64, t32), 0, 2, 1), "temporal");
        g.Output(g.Transpose(cnn1, 0, 2, 1), "cnn1");
        g.Output(g.Transpose(cnn2, 0, 2, 1), "cnn2");
        g.Output(g.Transpose(cnn3, 0, 2, 1), "cnn3");
        return g;
    }

    /// <summary>
    /// Conv2D (kernel kt × kf over time × band) → ReLU → BN → max over all remaining bands: (N, C, 187).
    /// Computed as conv → max over bands → ReLU → BN, which gives the same values while ReLU and BN touch a
    /// tensor as many times smaller as there are bands (59, 30 or 96): BN is a per-channel a·y + b and ReLU is
    /// monotone, so the band maximum of a·relu(z) + b is a·relu(max z) + b where a ≥ 0 and a·relu(min z) + b
    /// where a &lt; 0. For those channels the convolution's weights and bias are negated (giving −z exactly:
    /// every product and partial sum just changes sign), so max(−z) = −min z, and a −1 scale after the
    /// maximum restores min z. The maximum is a MaxPool over the band axis: ONNX Runtime's CPU provider runs
    /// the convolution in a blocked layout of 8 or 16 channels (NCHWc) and keeps a MaxPool in it when the
    /// channel count is a multiple of the block, so the filters are padded with all-zero ones to a multiple
    /// of 16 (the blocked convolution computes those anyway) and only the small pooled tensor is reordered
    /// back and sliced to the real channels.
    /// </summary>
    private static string FrontBranch(OnnxGraphBuilder g, KerasH5Checkpoint ck, string conv, string bn, string x,
        int kt, int kf, int filters, int padBefore, int padAfter)
    {
        const int Block = 16;
        int padded = (filters + Block - 1) / Block * Block;
        var gamma = ck.Weight(bn, "gamma", filters); // a = gamma / sqrt(var + eps) has gamma's sign
        var sign = gamma.Select(v => v < 0 ? -1f : 1f).ToArray();
        var kernel = KerasLayout.HwioToOihw(ck.Weight(conv, "kernel", kt, kf, 1, filters), kt, kf, 1, filters);
        var convBias = ck.Weight(conv, "bias", filters);
        int perFilter = kt * kf;
        var weight = new float[padded * perFilter];
        var bias = new float[padded];
        for (int o = 0; o < filters; o++)
        {
            bias[o] = sign[o] * convBias[o];
            for (int i = 0; i < perFilter; i++) weight[o * perFilter + i] = sign[o] * kernel[o * perFilter + i];
        }
        var w = g.Initializer($"{conv}.weight", weight, padded, 1, kt, kf);
        var b = g.Initializer($"{conv}.bias", bias, padded);
        var z = g.Conv(x, w, b, new long[] { kt, kf }, new long[] { padBefore, 0, padAfter, 0 });
        int bands = Bands - kf + 1;
        var peak = g.Reshape(g.MaxPool(z, new long[] { 1, bands }, new long[] { 1, 1 }), 0, padded, Frames);
        if (padded != filters) peak = g.Slice(peak, new long[] { 0 }, new long[] { filters }, new long[] { 1 });
        if (sign.Any(v => v < 0)) peak = g.Mul(peak, g.Initializer($"{conv}.sign", sign, filters, 1));
        return BatchNorm(g, ck, bn, g.Relu(peak), filters);
    }

    /// <summary>Keras Conv2D spanning the whole feature axis = 1-D conv over time, kernel 7, 3 zeros each side.</summary>
    private static string MidEnd(OnnxGraphBuilder g, KerasH5Checkpoint ck, string conv, string bn, string x, int inChannels)
    {
        const int Taps = 7, Out = 64;
        var k = ck.Weight(conv, "kernel", Taps, inChannels, 1, Out); // [tap, in, 0, out]
        var w = new float[Out * inChannels * Taps];
        for (int t = 0; t < Taps; t++)
            for (int c = 0; c < inChannels; c++)
                for (int o = 0; o < Out; o++)
                    w[(o * inChannels + c) * Taps + t] = k[(t * inChannels + c) * Out + o];
        var wName = g.Initializer($"{conv}.weight", w, Out, inChannels, Taps);
        var bName = g.Initializer($"{conv}.bias", ck.Weight(conv, "bias", Out), Out);
        var y = g.Relu(g.Conv(x, wName, bName, new long[] { Taps }, new long[] { 3, 3 }));
        return BatchNorm(g, ck, bn, y, Out);
    }

    internal static string Dense(OnnxGraphBuilder g, KerasH5Checkpoint ck, string layer, string x, int inputs, int outputs)
    {
        var w = g.Initializer($"{layer}.kernel", ck.Weight(layer, "kernel", inputs, outputs), inputs, outputs);
        var b = g.Initializer($"{layer}.bias", ck.Weight(layer, "bias", outputs), outputs);
        return g.Gemm(x, w, b);
    }

    /// <summary>Inference-mode Keras BatchNormalization on axis 1 (channels) with the stored moving statistics.</summary>
    internal static string BatchNorm(OnnxGraphBuilder g, KerasH5Checkpoint ck, string layer, string x, int channels)
    {
        string P(string name) => g.Initializer($"{layer}.{name}", ck.Weight(layer, name, channels), channels);
        return g.BatchNorm(x, P("gamma"), P("beta"), P("moving_mean"), P("moving_variance"), BnEpsilon);
    }
}
