using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Core.Audio;

/// <summary>
/// Audio as a chain of sources, in the spirit of NAudio's ToMono(): <c>source.ToMono().ResampleTo(recipe)</c>.
/// Every link leaves the source it wraps open, so disposing the decoded file (the chain's owner) is enough.
/// </summary>
public static class AudioChain
{
    /// <summary>The float32 mean of the channels (a mono source is passed through untouched).</summary>
    public static IAudioSource ToMono(this IAudioSource source) =>
        source.Channels == 1 ? source : new MonoDownmixSource(source, leaveOpen: true);

    /// <summary>Mono audio at the recipe's rate, by the recipe's algorithm (see <see cref="Resamplers"/>).</summary>
    public static IAudioSource ResampleTo(this IAudioSource mono, ResampleRecipe recipe) => Resamplers.Create(mono, recipe);
}
