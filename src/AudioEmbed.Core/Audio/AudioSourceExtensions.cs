namespace AudioEmbed.Core.Audio;

public static class AudioSourceExtensions
{
    /// <summary>
    /// Reads a whole source into one interleaved array. For tests and short clips: the embedding
    /// pipeline streams instead, so a long file never materialises at once.
    /// </summary>
    public static float[] ReadAll(this IAudioSource source)
    {
        // The header's total only sizes the first allocation, capped: a lying header must not allocate gigabytes.
        var result = new List<float>(source.TotalFrames is long n && n > 0 ? (int)Math.Min(n * source.Channels, 1 << 20) : 1 << 16);
        var block = new float[4096 * source.Channels];
        int frames;
        while ((frames = source.Read(block)) > 0)
            result.AddRange(block.AsSpan(0, frames * source.Channels));
        return result.ToArray();
    }
}
