namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// Raised inside the decoder when the stream ends before the bits a structure needs. The decoder
/// turns it into either a clean end (a frame cut off at the end of a file) or an
/// <see cref="AudioDecodeException"/> (a stream cut inside its metadata); it never escapes.
/// </summary>
internal sealed class FlacEndOfDataException : Exception
{
    public FlacEndOfDataException(long offset) : base($"stream ends at byte {offset}") => Offset = offset;

    public long Offset { get; }
}
