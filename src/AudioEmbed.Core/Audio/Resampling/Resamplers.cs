namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// The resampling algorithms by <see cref="ResamplerKind"/>: each wraps a mono source in a source at the recipe's
/// rate. A new algorithm is one entry here.
/// </summary>
public static class Resamplers
{
    private static readonly Dictionary<ResamplerKind, Func<IAudioSource, ResampleRecipe, IAudioSource>> ByKind = new()
    {
        [ResamplerKind.Resampy] = ResampyKaiserBest,
    };

    /// <summary>
    /// <paramref name="mono"/> at the recipe's rate (left open when disposed: the chain's owner closes the source).
    /// A source already at that rate is returned as it is.
    /// </summary>
    public static IAudioSource Create(IAudioSource mono, ResampleRecipe recipe)
    {
        if (mono.Channels != 1) throw new ArgumentException($"The resampler takes mono input; this source has {mono.Channels} channels (call ToMono() first).", nameof(mono));
        if (mono.SampleRate == recipe.TargetRate) return mono;
        return ByKind.TryGetValue(recipe.Kind, out var create) ? create(mono, recipe)
            : throw new NotSupportedException($"The resampler {recipe.Kind} is not available in this version of AudioEmbed.");
    }

    /// <summary>resampy kaiser_best: the polyphase equivalent (within 2e-6, ~8× faster) unless the recipe asks for resampy's exact loop.</summary>
    private static IAudioSource ResampyKaiserBest(IAudioSource mono, ResampleRecipe recipe)
    {
        bool fixLength = recipe.Length == OutputLength.LibrosaFixLength;
        return (IAudioSource?)(recipe.Exact ? null : FastResampledSource.TryCreate(mono, recipe.TargetRate, ResampyFilter.KaiserBest, recipe.ResampyVersion, fixLength, leaveOpen: true))
            ?? new ResampledSource(mono, recipe.TargetRate, ResampyFilter.KaiserBest, recipe.ResampyVersion, fixLength, leaveOpen: true);
    }
}
