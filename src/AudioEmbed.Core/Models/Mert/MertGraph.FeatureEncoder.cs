using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>The waveform front end: strided conv stack, feature projection, convolutional positional embedding.</summary>
internal static partial class MertGraph
{
    private sealed partial class Builder
    {
        /// <summary>
        /// (B, samples) → (B, frames, C). "group" style: conv → GroupNorm with one group per channel (per-channel
        /// normalisation over time = InstanceNormalization) → GELU on the first layer, conv → GELU on the others.
        /// "layer" style: conv → LayerNorm over channels → GELU on every layer.
        /// </summary>
        public string FeatureEncoder(string waveform)
        {
            var x = G.Unsqueeze(waveform, 1);
            int inChannels = 1;
            for (int i = 0; i < _c.ConvDim.Length; i++)
            {
                string p = $"feature_extractor.conv_layers.{i}";
                int outChannels = _c.ConvDim[i], k = _c.ConvKernel[i];
                var w = G.Initializer(p + ".conv.weight", _w.Get(p + ".conv.weight", outChannels, inChannels, k), outChannels, inChannels, k);
                string? bias = _c.ConvBias ? G.Initializer(p + ".conv.bias", _w.Get(p + ".conv.bias", outChannels), outChannels) : null;
                x = G.Conv(x, w, bias, new long[] { k }, new long[] { 0, 0 }, new long[] { _c.ConvStride[i] });
                if (_c.FeatExtractNorm == "layer")
                {
                    x = G.Transpose(LayerNorm(G.Transpose(x, 0, 2, 1), p + ".layer_norm", outChannels, ConvNormEps), 0, 2, 1);
                }
                else if (i == 0)
                {
                    var scale = G.Initializer(p + ".layer_norm.weight", _w.Get(p + ".layer_norm.weight", outChannels), outChannels);
                    var shift = G.Initializer(p + ".layer_norm.bias", _w.Get(p + ".layer_norm.bias", outChannels), outChannels);
                    x = G.Node("InstanceNormalization", new[] { x, scale, shift }, null, Attr.Float("epsilon", ConvNormEps));
                }
                x = Gelu(x);
                inChannels = outChannels;
            }
            return G.Transpose(x, 0, 2, 1);
        }

        /// <summary>(B, T, C) → [LayerNorm(C), eps = layer_norm_eps] → Linear(C → H).</summary>
        public string FeatureProjection(string features)
        {
            int c = _c.ConvDim[^1];
            var x = features;
            if (_c.FeatProjLayerNorm) x = LayerNorm(x, "feature_projection.layer_norm", c, _c.LayerNormEps);
            return Linear(x, "feature_projection.projection", c, _c.HiddenSize);
        }

        /// <summary>
        /// Grouped conv over time (kernel K, zero padding K/2 each side), dropping the last frame when K is even so
        /// the length is unchanged (upstream's SamePadLayer), then GELU. Returns (B, T, H), to be added to the input.
        /// </summary>
        public string PositionalEmbedding(string x)
        {
            int h = _c.HiddenSize, k = _c.PosConvKernel, groups = _c.PosConvGroups;
            var weight = FoldedPositionalWeight(h, h / groups, k);
            var w = G.Initializer("encoder.pos_conv_embed.conv.weight", weight, h, h / groups, k);
            var bias = G.Initializer("encoder.pos_conv_embed.conv.bias", _w.Get("encoder.pos_conv_embed.conv.bias", h), h);
            var y = G.Conv(G.Transpose(x, 0, 2, 1), w, bias, new long[] { k }, new long[] { k / 2, k / 2 }, null, groups);
            if (k % 2 == 0)
            {
                y = G.Node("Slice", new[] { y, G.Int64Initializer(G.Fresh("starts"), 0), G.Int64Initializer(G.Fresh("ends"), -1), G.Int64Initializer(G.Fresh("axes"), 2) });
            }
            return G.Transpose(Gelu(y), 0, 2, 1);
        }

        /// <summary>
        /// Weight norm with dim=2 (torch.nn.utils.weight_norm as HF applies it): w = g · v / ‖v‖, the norm taken
        /// over the output and input axes separately for every kernel tap; g is (1, 1, K). Both the old
        /// (weight_g/weight_v) and the parametrization (original0/original1) key spellings are accepted.
        /// </summary>
        private float[] FoldedPositionalWeight(int outChannels, int inPerGroup, int k)
        {
            const string Old = "encoder.pos_conv_embed.conv.weight_", New = "encoder.pos_conv_embed.conv.parametrizations.weight.original";
            bool parametrized = !_w.Has(Old + "g") && _w.Has(New + "0");
            var g = _w.Get(parametrized ? New + "0" : Old + "g", 1, 1, k);
            var v = _w.Get(parametrized ? New + "1" : Old + "v", outChannels, inPerGroup, k);
            var sumSq = new double[k];
            for (int i = 0; i < v.Length; i++) sumSq[i % k] += (double)v[i] * v[i];
            var factor = new double[k];
            for (int t = 0; t < k; t++) factor[t] = sumSq[t] > 0 ? g[t] / Math.Sqrt(sumSq[t]) : 0;
            var w = new float[v.Length];
            for (int i = 0; i < v.Length; i++) w[i] = (float)(v[i] * factor[i % k]);
            return w;
        }
    }
}
