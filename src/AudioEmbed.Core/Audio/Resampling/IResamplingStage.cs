namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>One stage of a resampling chain: wraps a mono stream in a stream at the stage's output rate.</summary>
internal interface IResamplingStage
{
    IAudioSource Open(IAudioSource input, int sampleRateOut);
}
