using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>The transformer encoder in both of MERT's layer-norm placements, returning every hidden state.</summary>
internal static partial class MertGraph
{
    private sealed partial class Builder
    {
        /// <summary>
        /// Post-LN (HubertEncoder, 95M): h = LN(x + pos); each layer h = LN(h + Attn(h)); h = LN'(h + FF(h)).
        /// Pre-LN (HubertEncoderStableLayerNorm, 330M): h = x + pos; each layer h = h + Attn(LN(h)); h = h + FF(LN'(h));
        /// the last hidden state is LN_final(h). The list holds hidden_0 … hidden_L as upstream reports them.
        /// </summary>
        public List<string> Encoder(string projected)
        {
            int h = _c.HiddenSize;
            var x = G.Add(projected, PositionalEmbedding(projected));
            if (!_c.StableLayerNorm) x = LayerNorm(x, "encoder.layer_norm", h, _c.LayerNormEps);
            var states = new List<string> { x };
            for (int i = 0; i < _c.Layers; i++)
            {
                string p = $"encoder.layers.{i}";
                if (_c.StableLayerNorm)
                {
                    x = G.Add(x, Attention(LayerNorm(x, p + ".layer_norm", h, _c.LayerNormEps), p + ".attention"));
                    x = G.Add(x, FeedForward(LayerNorm(x, p + ".final_layer_norm", h, _c.LayerNormEps), p + ".feed_forward"));
                }
                else
                {
                    x = LayerNorm(G.Add(x, Attention(x, p + ".attention")), p + ".layer_norm", h, _c.LayerNormEps);
                    x = LayerNorm(G.Add(x, FeedForward(x, p + ".feed_forward")), p + ".final_layer_norm", h, _c.LayerNormEps);
                }
                states.Add(x);
            }
            if (_c.StableLayerNorm) states[^1] = LayerNorm(x, "encoder.layer_norm", h, _c.LayerNormEps);
            return states;
        }

        /// <summary>
        /// Multi-head self-attention without mask (every frame of a chunk is real audio). The 1/√d query scaling
        /// upstream applies after q_proj is folded into q_proj's weight and bias.
        /// </summary>
        private string Attention(string x, string prefix)
        {
            int h = _c.HiddenSize, heads = _c.Heads, d = _c.HeadDim;
            float scale = (float)(1 / Math.Sqrt(d));
            var q = G.Transpose(SplitHeads(Linear(x, prefix + ".q_proj", h, h, scale), heads, d), 0, 2, 1, 3);  // (B, nh, T, d)
            var kT = G.Transpose(SplitHeads(Linear(x, prefix + ".k_proj", h, h), heads, d), 0, 2, 3, 1);        // (B, nh, d, T)
            var v = G.Transpose(SplitHeads(Linear(x, prefix + ".v_proj", h, h), heads, d), 0, 2, 1, 3);         // (B, nh, T, d)
            var weights = G.Node("Softmax", new[] { G.MatMul(q, kT) }, null, Attr.Int("axis", -1));
            var context = G.Reshape(G.Transpose(G.MatMul(weights, v), 0, 2, 1, 3), 0, 0, h);                 // (B, T, H)
            return Linear(context, prefix + ".out_proj", h, h);
        }

        private string SplitHeads(string x, int heads, int headDim) => G.Reshape(x, 0, 0, heads, headDim);

        /// <summary>intermediate_dense → GELU → output_dense.</summary>
        private string FeedForward(string x, string prefix)
        {
            var inner = Gelu(Linear(x, prefix + ".intermediate_dense", _c.HiddenSize, _c.IntermediateSize));
            return Linear(inner, prefix + ".output_dense", _c.IntermediateSize, _c.HiddenSize);
        }
    }
}
