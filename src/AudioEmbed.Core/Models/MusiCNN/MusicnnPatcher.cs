namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>
/// Cuts MusiCNN log-mel frames (frames x 96) into the model's 3-second inputs: patches of 187 frames
/// starting at frames 0, 187, 374, ... without overlap, the incomplete remainder dropped (musicnn's
/// <c>batch_data</c>). The patches are one contiguous float32 block, ready to be an ONNX tensor
/// (n, 187, 96, 1).
/// </summary>
/// <remarks>
/// Deliberate deviation for short input: a waveform with at least one sample but fewer than 187 frames
/// (under 47,616 samples, about 2.98 s) would give musicnn zero patches and a failed prediction. Here it
/// gives exactly one patch: its real frames, as librosa computes them for the short signal, followed by
/// rows of 0, which is the compressed value of digital silence (log10(10000 * 0 + 1) = 0). Padding the
/// features rather than the waveform keeps the frames that do exist identical to the reference.
/// An empty input (0 frames) gives 0 patches: there is nothing to embed, and callers report that.
/// </remarks>
public static partial class MusicnnPatcher
{
    /// <summary><c>librosa.time_to_frames(3, sr=16000, n_fft=512, hop_length=256) + 1</c> = (48000 - 256) / 256 + 1.</summary>
    public const int PatchFrames = 187;

    public const int MelBands = MusicnnFrontend.MelBands;

    /// <summary>Values in one patch, 187 x 96.</summary>
    public const int PatchValues = PatchFrames * MelBands;

    /// <summary>Patches for <paramref name="frameCount"/> frames: frames / 187, at least 1 unless there are no frames.</summary>
    public static int PatchCount(int frameCount)
    {
        if (frameCount < 0) throw new ArgumentOutOfRangeException(nameof(frameCount));
        if (frameCount == 0) return 0;
        return Math.Max(1, frameCount / PatchFrames);
    }

    /// <summary>Patches from <paramref name="logMel"/> (frames x 96, row-major; its length fixes the frame count).</summary>
    public static Batch Patch(ReadOnlySpan<float> logMel)
    {
        if (logMel.Length % MelBands != 0)
            throw new ArgumentException($"Log-mel features must be frames x {MelBands}; got {logMel.Length} values.", nameof(logMel));
        int frames = logMel.Length / MelBands;
        int count = PatchCount(frames);
        var data = new float[count * PatchValues];
        int copied = Math.Min(logMel.Length, data.Length);
        logMel[..copied].CopyTo(data); // for short input the rest stays 0 (see remarks)
        return new Batch(data, count);
    }

    /// <summary>Waveform (16 kHz mono) straight to patches.</summary>
    public static Batch FromWaveform(ReadOnlySpan<float> waveform16k) => Patch(MusicnnFrontend.Instance.LogMel(waveform16k));
}
