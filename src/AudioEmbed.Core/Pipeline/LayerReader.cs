using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// Turns the outputs a <see cref="LayerSelection"/> fetched into rows for the <see cref="RowCollector"/>. Every
/// output holds rows of <see cref="OutputWidth"/> values in the same order (batch items, then frames or patches):
/// one output is passed on as it is; "average" is each value's mean over the outputs (a double sum in output
/// order, divided by their count); "all" puts the outputs' rows side by side, layer 0 first.
/// </summary>
internal sealed class LayerReader
{
    private readonly LayerKind _kind;
    private double[] _sums = Array.Empty<double>();
    private float[] _mean = Array.Empty<float>();

    public LayerReader(LayerSelection selection, NumberedLayers layers, int outputWidth)
    {
        if (outputWidth < 1) throw new ArgumentOutOfRangeException(nameof(outputWidth));
        _kind = selection.Kind;
        Outputs = selection.Outputs(layers);
        OutputWidth = outputWidth;
        RowWidth = selection.RowWidth(layers, outputWidth);
    }

    /// <summary>The graph outputs to fetch; their results come first, in this order.</summary>
    public string[] Outputs { get; }

    /// <summary>Values per row of each output.</summary>
    public int OutputWidth { get; }

    /// <summary>Values per row handed to the collector.</summary>
    public int RowWidth { get; }

    public void AddRows(IReadOnlyList<OrtValue> results, RowCollector rows)
    {
        switch (_kind)
        {
            case LayerKind.Average: AddAverage(results, rows); break;
            case LayerKind.All: AddSideBySide(results, rows); break;
            default: rows.Add(results[0].GetTensorDataAsSpan<float>()); break;
        }
    }

    private void AddAverage(IReadOnlyList<OrtValue> results, RowCollector rows)
    {
        int n = Outputs.Length;
        int length = results[0].GetTensorDataAsSpan<float>().Length;
        if (_sums.Length < length) { _sums = new double[length]; _mean = new float[length]; }
        var sums = _sums.AsSpan(0, length);
        sums.Clear();
        for (int o = 0; o < n; o++)
        {
            var values = results[o].GetTensorDataAsSpan<float>();
            for (int i = 0; i < length; i++) sums[i] += values[i];
        }
        var mean = _mean.AsSpan(0, length);
        for (int i = 0; i < length; i++) mean[i] = (float)(sums[i] / n);
        rows.Add(mean);
    }

    private void AddSideBySide(IReadOnlyList<OrtValue> results, RowCollector rows)
    {
        int d = OutputWidth;
        int count = results[0].GetTensorDataAsSpan<float>().Length / d;
        for (int r = 0; r < count; r++)
            for (int o = 0; o < Outputs.Length; o++)
                rows.Add(results[o].GetTensorDataAsSpan<float>().Slice(r * d, d));
    }
}
