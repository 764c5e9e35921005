using AudioEmbed.Core.Dsp;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.ToyFamily;

/// <summary>The toy's front end: non-overlapping chunks (a partial last one is dropped), each turned into its log-mel frames.</summary>
internal sealed class ToyMelStream : IModelInputStream
{
    private readonly float[] _chunk;
    private readonly AudioEmbed.Core.Dsp.KaldiFbank _fbank;
    private readonly float _scale;
    private readonly ReadyInputs _ready = new();
    private int _count;

    public ToyMelStream(int chunkSamples, KaldiFbankOptions options, float scale)
    {
        _chunk = new float[chunkSamples];
        _fbank = new AudioEmbed.Core.Dsp.KaldiFbank(options);
        _scale = scale;
    }

    public void Accept(ReadOnlySpan<float> samples)
    {
        while (!samples.IsEmpty)
        {
            int n = Math.Min(samples.Length, _chunk.Length - _count);
            samples[..n].CopyTo(_chunk.AsSpan(_count));
            _count += n;
            samples = samples[n..];
            if (_count < _chunk.Length) continue;
            _count = 0;
            long start = (long)_ready.Count * _chunk.Length;
            var features = _fbank.Compute(_chunk);
            for (int i = 0; i < features.Length; i++) features[i] *= _scale;
            _ready.Add(features, start, _fbank.FrameCount(_chunk.Length), _fbank.MelCount);
        }
    }

    public void Finish() => _count = 0;

    public bool TryTake(out ModelInput input) => _ready.TryTake(out input);
}
