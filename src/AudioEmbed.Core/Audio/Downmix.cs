namespace AudioEmbed.Core.Audio;

/// <summary>
/// Mono as the arithmetic mean of the channels, computed like numpy's float32 mean over the channel axis:
/// c0 + c1 + ... summed in float32 in channel order, then divided by the channel count in float32. For stereo
/// that is (L + R) / 2, bit-identical to librosa's <c>to_mono</c>.
/// </summary>
public static class Downmix
{
    /// <summary>Writes <c>interleaved.Length / channels</c> mono samples into <paramref name="mono"/>.</summary>
    public static void ToMono(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        if (channels <= 0) throw new ArgumentException($"Channel count must be positive, got {channels}.", nameof(channels));
        if (interleaved.Length % channels != 0)
            throw new ArgumentException($"{interleaved.Length} samples are not whole frames of {channels} channels.", nameof(interleaved));
        int frames = interleaved.Length / channels;
        if (mono.Length < frames) throw new ArgumentException($"Output holds {mono.Length} samples, {frames} needed.", nameof(mono));

        if (channels == 1) { interleaved.CopyTo(mono); return; }
        if (channels == 2)
        {
            for (int f = 0; f < frames; f++) mono[f] = (interleaved[2 * f] + interleaved[2 * f + 1]) / 2f;
            return;
        }
        float count = channels;
        for (int f = 0, s = 0; f < frames; f++)
        {
            float sum = interleaved[s++];
            for (int c = 1; c < channels; c++) sum += interleaved[s++];
            mono[f] = sum / count;
        }
    }

    /// <summary>Array form of <see cref="ToMono(ReadOnlySpan{float}, int, Span{float})"/>; mono input comes back as a copy.</summary>
    public static float[] ToMono(ReadOnlySpan<float> interleaved, int channels)
    {
        if (channels <= 0) throw new ArgumentException($"Channel count must be positive, got {channels}.", nameof(channels));
        var mono = new float[interleaved.Length / channels];
        ToMono(interleaved, channels, mono);
        return mono;
    }
}
