using AudioEmbed.Core.Dsp;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// EnCodecMAE's input stream, upstream's chunking of a 24 kHz stream: consecutive non-overlapping chunks of
/// <c>chunkSamples</c>, each turned into its normalised Kaldi fbank (frames × mel bins) as soon as it fills; only the
/// final chunk can be short, and it is kept only if it holds more than <see cref="MinimumTailSamples"/> samples (its
/// fewer frames make it a model input of its own shape: no padding, as upstream). Memory: one chunk of samples.
/// </summary>
internal sealed class EncodecMaeChunker : IModelInputStream
{
    /// <summary>Upstream drops a final chunk of 2048 samples or fewer.</summary>
    public const int MinimumTailSamples = 2048;

    private readonly float[] _chunk;
    private readonly KaldiFbank _fbank;
    private readonly ReadyInputs _ready = new();
    private int _count;

    /// <summary>Samples between consecutive frames of a chunk (the fbank's frame shift).</summary>
    public int FrameHop => _fbank.WindowShift;

    public EncodecMaeChunker(int chunkSamples, KaldiFbankOptions fbank)
    {
        _chunk = new float[chunkSamples];
        _fbank = new KaldiFbank(fbank);
    }

    public void Accept(ReadOnlySpan<float> samples)
    {
        while (!samples.IsEmpty)
        {
            int n = Math.Min(samples.Length, _chunk.Length - _count);
            samples[..n].CopyTo(_chunk.AsSpan(_count));
            _count += n;
            samples = samples[n..];
            if (_count == _chunk.Length)
            {
                Emit(_chunk);
                _count = 0;
            }
        }
    }

    /// <summary>The short final chunk, if upstream would process it.</summary>
    public void Finish()
    {
        if (_count > MinimumTailSamples) Emit(_chunk.AsSpan(0, _count));
        _count = 0;
    }

    public bool TryTake(out ModelInput input) => _ready.TryTake(out input);

    private void Emit(ReadOnlySpan<float> chunk)
    {
        int frames = _fbank.FrameCount(chunk.Length);
        var features = _ready.Rent(frames * _fbank.MelCount);
        _fbank.Compute(chunk, features);
        _ready.Add(features, (long)_ready.Count * _chunk.Length, frames, _fbank.MelCount);
    }
}
