using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// Converts a MERT checkpoint into an ONNX graph: input <c>waveform</c> (batch, samples), the normalised 24 kHz
/// signal; outputs <c>hidden_0</c> … <c>hidden_L</c> (batch, frames, hidden), exactly upstream's
/// <c>output_hidden_states</c> tuple: hidden_0 is the input of the first transformer layer, hidden_L the last
/// hidden state (after the final LayerNorm in the pre-LN style).
/// <para>
/// Forward pass (HF MERTModel in eval mode; dropout, masking and layer drop are training-only):
/// conv feature encoder → transpose → [LayerNorm] → Linear → (+ positional conv embedding) → encoder.
/// Weight norm of the positional conv is folded here, so the graph holds plain weights.
/// </para>
/// </summary>
internal static partial class MertGraph
{
    public const string InputName = "waveform";
    /// <summary>Upstream's feature-encoder norms are torch defaults (GroupNorm / LayerNorm eps), not config.layer_norm_eps.</summary>
    private const float ConvNormEps = 1e-5f;

    public static string HiddenName(int index) => $"hidden_{index}";

    /// <summary>
    /// <paramref name="precision"/> Int8: the transformer's attention projections and feed-forward layers become
    /// dynamic int8 (<see cref="DynamicInt8Rewriter"/>); the conv feature encoder, feature projection, positional
    /// conv, layer norms and softmax stay float32.
    /// </summary>
    public static OnnxGraphBuilder Build(MertConfig config, MertWeights weights, Precision precision = Precision.Float32)
    {
        var b = new Builder(config, weights);
        var g = b.G;
        var waveform = g.Input(InputName, new long?[] { null, null }, new[] { "batch", "samples" });

        var features = b.FeatureEncoder(waveform);           // (B, T, C)
        var projected = b.FeatureProjection(features);       // (B, T, H)
        if (weights.Has("masked_spec_embed")) weights.Get("masked_spec_embed", config.HiddenSize); // training-only; checked, not used

        var hidden = b.Encoder(projected);
        for (int i = 0; i < hidden.Count; i++)
            g.Output(hidden[i], HiddenName(i), new long?[] { null, null, config.HiddenSize }, new[] { "batch", "frames", "hidden" });

        g.Metadata(MertMetadata.SampleRate, config.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.Metadata(MertMetadata.DoNormalize, config.DoNormalize ? "true" : "false");
        g.Metadata(MertMetadata.Layers, config.Layers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.Metadata(MertMetadata.HiddenSize, config.HiddenSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.Metadata(MertMetadata.ReceptiveField, config.ReceptiveField.ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.Metadata(MertMetadata.HopSamples, config.HopSamples.ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.Metadata(OnnxGraphBuilder.PrecisionMetadata, nameof(Precision.Float32));
        if (precision == Precision.Int8) g.QuantizeLinears(IsInt8Weight);
        return g;
    }

    /// <summary>The weights Int8 quantises: the transformer layers' Linear weights (stored as encoder.layers.{i}.….weight_t).</summary>
    public static bool IsInt8Weight(string initializer) => initializer.StartsWith("encoder.layers.", StringComparison.Ordinal);

    /// <summary>Graph-building state shared by the pieces of the forward pass: builder, config, weights and scalar constants.</summary>
    private sealed partial class Builder
    {
        private readonly MertConfig _c;
        private readonly MertWeights _w;
        private readonly string _half, _one, _invSqrt2;

        public Builder(MertConfig config, MertWeights weights)
        {
            _c = config;
            _w = weights;
            G = new OnnxGraphBuilder("mert");
            _half = G.Initializer("const.half", new[] { 0.5f });
            _one = G.Initializer("const.one", new[] { 1f });
            _invSqrt2 = G.Initializer("const.inv_sqrt2", new[] { (float)(1 / Math.Sqrt(2)) });
        }

        public OnnxGraphBuilder G { get; }

        /// <summary>Exact (erf) GELU, as torch's nn.functional.gelu: 0.5·x·(1 + erf(x/√2)). ORT fuses it into one kernel.</summary>
        public string Gelu(string x)
        {
            var erf = G.Node("Erf", new[] { G.Mul(x, _invSqrt2) });
            return G.Mul(G.Mul(x, _half), G.Add(erf, _one));
        }

        /// <summary>torch nn.Linear over the last axis: x · Wᵀ + b, with W stored (out, in) in the checkpoint.</summary>
        public string Linear(string x, string prefix, int inputs, int outputs, float scale = 1f)
        {
            var w = _w.Get(prefix + ".weight", outputs, inputs);
            var bias = _w.Get(prefix + ".bias", outputs);
            var wt = new float[w.Length];
            for (int o = 0; o < outputs; o++)
                for (int i = 0; i < inputs; i++)
                    wt[i * outputs + o] = w[o * inputs + i] * scale;
            if (scale != 1f) for (int o = 0; o < outputs; o++) bias[o] *= scale;
            var wName = G.Initializer(prefix + ".weight_t", wt, inputs, outputs);
            var bName = G.Initializer(prefix + ".bias", bias, outputs);
            return G.Add(G.MatMul(x, wName), bName);
        }

        /// <summary>LayerNorm over the last axis with the checkpoint's affine weight and bias.</summary>
        public string LayerNorm(string x, string prefix, int dim, float eps)
        {
            var scale = G.Initializer(prefix + ".weight", _w.Get(prefix + ".weight", dim), dim);
            var bias = G.Initializer(prefix + ".bias", _w.Get(prefix + ".bias", dim), dim);
            return G.Node("LayerNormalization", new[] { x, scale, bias }, null, Attr.Int("axis", -1), Attr.Float("epsilon", eps));
        }
    }
}
