namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// Where each kept row starts, in seconds: row r of an input that begins at sample s starts at s + r · hop samples at
/// the model's rate. Computed from integer sample indices for every row, never by adding up durations, so a long
/// file does not drift.
/// </summary>
internal sealed class RowTimes
{
    private readonly int _sampleRate;
    private readonly Func<int, double> _hop;
    private readonly List<double> _seconds = new();

    public RowTimes(int sampleRate, Func<int, double> hopSamples)
    {
        _sampleRate = sampleRate;
        _hop = hopSamples;
    }

    /// <summary>The rows one run added (<paramref name="rows"/> of them, spread evenly over its inputs).</summary>
    public void Add(IReadOnlyList<ModelInput> inputs, long rows)
    {
        if (inputs.Count == 0 || rows == 0) return;
        int perInput = (int)(rows / inputs.Count);
        double hop = _hop(perInput);
        foreach (var input in inputs)
            for (int r = 0; r < perInput; r++)
                _seconds.Add((input.StartSample + r * hop) / _sampleRate);
    }

    public double[] ToArray() => _seconds.ToArray();
}
