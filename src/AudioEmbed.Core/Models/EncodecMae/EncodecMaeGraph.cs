using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// EnCodecMAE's feature path as ONNX. Input "fbank" [batch, frames, mel] (normalised log-mel of one chunk per batch
/// item); outputs "post_net" and "with_posemb" (the encoder input), "layer_0".."layer_{L-1}" (x0 after each layer) and
/// "last" (x0_L + final_norm(x1_L), upstream's postnorm_last_activation). The encoder is upstream's "ResiDual" stack:
/// x0 = x1 = h; per layer A = MHA(x0), x0 = LN1(x0 + A), x1 += A, F = FFN(x0), x0 = LN2(x0 + F), x1 += F.
/// </summary>
internal static class EncodecMaeGraph
{
    public const string InputName = "fbank";
    public const string LastOutput = "last";
    private const float LayerNormEpsilon = 1e-5f;

    public static string LayerOutput(int layer) => $"layer_{layer}";

    /// <summary>
    /// <paramref name="precision"/> Int8: the encoder's attention projections and (shared) feed-forward layers become
    /// dynamic int8 (<see cref="DynamicInt8Rewriter"/>); the post-net, positional table, layer norms and softmax stay float32.
    /// </summary>
    public static OnnxGraphBuilder Build(EncodecMaeGinConfig config, IReadOnlyDictionary<string, TensorData> stateDict, string filePath,
        Precision precision = Precision.Float32)
    {
        var weights = EncodecMaeWeights.Check(config, stateDict, filePath);
        var graph = new Builder(config, weights).Build();
        graph.Metadata(OnnxGraphBuilder.PrecisionMetadata, nameof(Precision.Float32));
        if (precision == Precision.Int8) graph.QuantizeLinears(IsInt8Weight);
        return graph;
    }

    /// <summary>The weights Int8 quantises: the encoder layers' projections and feed-forward (not the post-net).</summary>
    public static bool IsInt8Weight(string initializer) => initializer.StartsWith("visible_encoder.encoder_layers.", StringComparison.Ordinal);

    /// <summary>PE[t, 2i] = sin(t·exp(−2i·ln(10000)/D)), PE[t, 2i+1] = cos(same).</summary>
    public static float[] SinusoidalTable(int frames, int d)
    {
        var table = new float[frames * d];
        for (int i = 0; i < d / 2; i++)
        {
            double rate = Math.Exp(-2.0 * i * Math.Log(10000.0) / d);
            for (int t = 0; t < frames; t++)
            {
                table[t * d + 2 * i] = (float)Math.Sin(t * rate);
                table[t * d + 2 * i + 1] = (float)Math.Cos(t * rate);
            }
        }
        return table;
    }

    private sealed class Builder
    {
        private readonly EncodecMaeGinConfig _c;
        private readonly EncodecMaeWeights _w;
        private readonly OnnxGraphBuilder _g = new("encodecmae");
        // Upstream shares one FFN module across all layers; the state dict repeats it under every layer with the
        // same storage, so one initializer per storage keeps the ONNX file from growing by (L-1) FFNs.
        private readonly Dictionary<string, string> _byStorage = new(StringComparer.Ordinal);

        public Builder(EncodecMaeGinConfig config, EncodecMaeWeights weights)
        {
            _c = config;
            _w = weights;
        }

        public OnnxGraphBuilder Build()
        {
            int d = _c.ModelDim;
            string x = _g.Input(InputName, new long?[] { null, null, _c.MelBins }, new[] { "batch", "frames", "mel" });

            string h = Linear(x, EncodecMaeWeights.PostNetWeight, EncodecMaeWeights.PostNetBias);
            _g.Output(h, "post_net");
            h = _g.Add(h, ScaledPositions(h));
            _g.Output(h, "with_posemb");

            string x0 = h, x1 = h;
            for (int l = 0; l < _c.EncoderLayers; l++)
            {
                string a = Attention(x0, l);
                x0 = LayerNorm(_g.Add(x0, a), EncodecMaeWeights.Layer(l, "norm1"));
                x1 = _g.Add(x1, a);
                string f = FeedForward(x0, l);
                x0 = LayerNorm(_g.Add(x0, f), EncodecMaeWeights.Layer(l, "norm2"));
                x1 = _g.Add(x1, f);
                _g.Output(x0, LayerOutput(l), new long?[] { null, null, d }, new[] { "batch", "frames", "dim" });
            }
            string last = _g.Add(x0, LayerNorm(x1, "visible_encoder.final_norm"));
            _g.Output(last, LastOutput, new long?[] { null, null, d }, new[] { "batch", "frames", "dim" });
            return _g;
        }

        /// <summary>s · PE[0..T) for the T frames of <paramref name="h"/>: the table covers one full chunk, sliced to T.</summary>
        private string ScaledPositions(string h)
        {
            int d = _c.ModelDim, frames = _c.FramesPerChunk;
            var table = SinusoidalTable(frames, d);
            string pe = _g.Initializer("positional_table", table, frames, d);
            string length = _g.Node("Shape", new[] { h }, null, Attr.Int("start", 1), Attr.Int("end", 2));
            string sliced = _g.Node("Slice", new[] { pe, _g.Int64Initializer("positions_start", 0), length, _g.Int64Initializer("positions_axis", 0) });
            string scale = _g.Initializer("positional_scale", _w.Read(EncodecMaeWeights.PositionalScale));
            return _g.Mul(sliced, scale);
        }

        /// <summary>
        /// Bias-free multi-head attention. Projection channel c belongs to head c mod H at index c div H, so the
        /// projections are viewed as [B, T, d, H] and moved to [B, H, T, d]; the output is re-interleaved the same way.
        /// </summary>
        private string Attention(string x, int l)
        {
            int heads = _c.EncoderHeads, hd = _c.HeadDim;
            string q = Project(x, EncodecMaeWeights.Layer(l, "att_layer.wq.weight"));
            string k = Project(x, EncodecMaeWeights.Layer(l, "att_layer.wk.weight"));
            string v = Project(x, EncodecMaeWeights.Layer(l, "att_layer.wv.weight"));
            q = _g.Transpose(_g.Reshape(q, 0, 0, hd, heads), 0, 3, 1, 2);      // [B, H, T, d]
            k = _g.Transpose(_g.Reshape(k, 0, 0, hd, heads), 0, 3, 2, 1);      // [B, H, d, T]
            v = _g.Transpose(_g.Reshape(v, 0, 0, hd, heads), 0, 3, 1, 2);      // [B, H, T, d]
            string scale = _g.Initializer(_g.Fresh("att_scale"), new[] { (float)(1.0 / Math.Sqrt(hd)) });
            string scores = _g.Mul(_g.MatMul(q, k), scale);
            string weights = _g.Node("Softmax", new[] { scores }, null, Attr.Int("axis", -1));
            string o = _g.Transpose(_g.MatMul(weights, v), 0, 2, 3, 1);         // [B, T, d, H]
            o = _g.Reshape(o, 0, 0, _c.AttentionWidth);
            return Project(o, EncodecMaeWeights.Layer(l, "att_layer.wo.weight"));
        }

        private string FeedForward(string x, int l)
        {
            string hidden = _g.Relu(Linear(x, EncodecMaeWeights.Layer(l, "ff_layer.0.weight"), EncodecMaeWeights.Layer(l, "ff_layer.0.bias")));
            return Linear(hidden, EncodecMaeWeights.Layer(l, "ff_layer.2.weight"), EncodecMaeWeights.Layer(l, "ff_layer.2.bias"));
        }

        private string LayerNorm(string x, string prefix) =>
            _g.Node("LayerNormalization", new[] { x, Vector(prefix + ".weight"), Vector(prefix + ".bias") }, null,
                Attr.Int("axis", -1), Attr.Float("epsilon", LayerNormEpsilon));

        private string Linear(string x, string weightKey, string biasKey) => _g.Add(Project(x, weightKey), Vector(biasKey));

        /// <summary>x · Wᵀ for a PyTorch (out, in) weight, stored transposed as (in, out).</summary>
        private string Project(string x, string weightKey) => _g.MatMul(x, Shared(weightKey, transpose: true));

        private string Vector(string key) => Shared(key, transpose: false);

        private string Shared(string key, bool transpose)
        {
            var tensor = _w[key];
            string id = $"{tensor.StorageId}|{string.Join("x", tensor.Shape)}|{transpose}";
            if (_byStorage.TryGetValue(id, out var existing)) return existing;
            var values = _w.Read(key);
            string name;
            if (transpose)
            {
                int rows = (int)tensor.Shape[0], cols = (int)tensor.Shape[1];
                name = _g.Initializer(key, Transposed(values, rows, cols), cols, rows);
            }
            else name = _g.Initializer(key, values, tensor.Shape.ToArray());
            _byStorage[id] = name;
            return name;
        }

        private static float[] Transposed(float[] m, int rows, int cols)
        {
            var t = new float[m.Length];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    t[c * rows + r] = m[r * cols + c];
            return t;
        }
    }
}
