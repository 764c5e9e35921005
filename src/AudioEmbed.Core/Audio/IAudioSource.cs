namespace AudioEmbed.Core.Audio;

/// <summary>
/// A pull-based stream of audio: interleaved float32 frames in [-1, 1] (decoders may exceed it slightly,
/// as float decoders do). Decoders, downmixers and resamplers all implement it, each wrapping the one
/// before, so memory stays bounded by the block size whatever the file length.
/// </summary>
public interface IAudioSource : IDisposable
{
    int SampleRate { get; }

    int Channels { get; }

    /// <summary>Total frames when the container says so (header, STREAMINFO, Xing); null when unknown.</summary>
    long? TotalFrames { get; }

    /// <summary>
    /// Fills <paramref name="interleaved"/> with up to <c>interleaved.Length / Channels</c> whole frames and
    /// returns how many frames were written; 0 only at the end of the stream. Throws
    /// <see cref="AudioDecodeException"/> on malformed data.
    /// </summary>
    int Read(Span<float> interleaved);
}
