using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Core.Audio;

/// <summary>Receives one block of mono samples at the model's rate; the span is only valid during the call.</summary>
public delegate void MonoBlockHandler(ReadOnlySpan<float> block);

/// <summary>
/// The front of every model's pipeline: decoded audio → <see cref="AudioChain.ToMono"/> →
/// <see cref="AudioChain.ResampleTo"/> the family's recipe, handed on block by block so no file is ever held whole.
/// </summary>
public static class MonoResampledReader
{
    private const int ReadBlock = 16384;

    /// <summary>Streams <paramref name="audio"/> through <paramref name="onBlock"/>; returns how many native frames were decoded.</summary>
    public static long Pump(IAudioSource audio, ResampleRecipe recipe, MonoBlockHandler onBlock, CancellationToken ct)
    {
        var counted = new CountingSource(audio);
        var resampled = counted.ToMono().ResampleTo(recipe);
        var block = new float[ReadBlock];
        int n;
        while ((n = resampled.Read(block)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            onBlock(block.AsSpan(0, n));
        }
        return counted.FramesRead;
    }
}
