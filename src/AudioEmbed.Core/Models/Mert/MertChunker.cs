using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// MERT's input stream: cuts model-rate samples into chunks of <see cref="ChunkSamples"/>, each normalised on its own
/// (MERT's context is a few seconds; attention cost grows with the square of the length). The end of the stream is
/// defined so: a final partial chunk is processed as it is (shorter) when it holds at least the conv encoder's
/// receptive field (400 samples = 1 frame at 24 kHz); a shorter tail is dropped, since it cannot make a single frame,
/// unless it is the whole file, which is then zero-padded to the receptive field (before normalisation) so even a
/// very short file has one frame.
/// </summary>
internal sealed class MertChunker : IModelInputStream
{
    private readonly bool _normalize;
    private readonly ReadyInputs _ready = new();
    private float[] _current;
    private int _filled;

    public MertChunker(int chunkSamples, int minimumSamples, bool normalize)
    {
        if (chunkSamples < minimumSamples)
            throw new ArgumentOutOfRangeException(nameof(chunkSamples), $"a chunk of {chunkSamples} samples is shorter than the model's receptive field of {minimumSamples} samples");
        ChunkSamples = chunkSamples;
        MinimumSamples = minimumSamples;
        _normalize = normalize;
        _current = new float[chunkSamples];
    }

    public int ChunkSamples { get; }
    public int MinimumSamples { get; }
    public int Chunks => _ready.Count;

    public void Accept(ReadOnlySpan<float> samples)
    {
        while (!samples.IsEmpty)
        {
            int n = Math.Min(samples.Length, ChunkSamples - _filled);
            samples[..n].CopyTo(_current.AsSpan(_filled));
            _filled += n;
            samples = samples[n..];
            if (_filled == ChunkSamples)
            {
                Emit(_current);
                _current = _ready.Rent(ChunkSamples);
                _filled = 0;
            }
        }
    }

    /// <summary>Hands over the final partial chunk when the rule above keeps it.</summary>
    public void Finish()
    {
        if (_filled >= MinimumSamples) Emit(_current[.._filled]);
        else if (Chunks == 0 && _filled > 0)
        {
            var padded = new float[MinimumSamples];
            _current.AsSpan(0, _filled).CopyTo(padded);
            Emit(padded);
        }
        _filled = 0;
    }

    public bool TryTake(out ModelInput input) => _ready.TryTake(out input);

    private void Emit(float[] chunk)
    {
        if (_normalize) MertNormalizer.NormalizeInPlace(chunk);
        _ready.Add(chunk, (long)_ready.Count * ChunkSamples, chunk.Length);
    }
}
