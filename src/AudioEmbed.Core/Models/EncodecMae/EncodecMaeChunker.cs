namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// Upstream's chunking of a 24 kHz stream: consecutive non-overlapping chunks of <c>chunkSamples</c>; only the final
/// chunk can be short, and it is kept only if it holds more than <see cref="MinimumTailSamples"/> samples. Samples are
/// pushed as they are decoded; memory is one chunk.
/// </summary>
internal sealed class EncodecMaeChunker
{
    /// <summary>Upstream drops a final chunk of 2048 samples or fewer.</summary>
    public const int MinimumTailSamples = 2048;

    private readonly float[] _chunk;
    private int _count;

    public EncodecMaeChunker(int chunkSamples) => _chunk = new float[chunkSamples];

    /// <summary>Appends samples; <paramref name="onChunk"/> receives each chunk as it fills (the span is reused afterwards).</summary>
    public void Push(ReadOnlySpan<float> samples, Action<ReadOnlyMemory<float>> onChunk)
    {
        while (!samples.IsEmpty)
        {
            int n = Math.Min(samples.Length, _chunk.Length - _count);
            samples[..n].CopyTo(_chunk.AsSpan(_count));
            _count += n;
            samples = samples[n..];
            if (_count == _chunk.Length)
            {
                onChunk(_chunk);
                _count = 0;
            }
        }
    }

    /// <summary>The short final chunk if upstream would process it, else empty.</summary>
    public ReadOnlyMemory<float> Tail() => _count > MinimumTailSamples ? _chunk.AsMemory(0, _count) : ReadOnlyMemory<float>.Empty;
}
