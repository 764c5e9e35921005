namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// The file decoded fine but its whole sequence (-Pooling None) does not fit in one embedding array. Not a decode
/// failure: the same file embeds with -Pooling Mean or Max.
/// </summary>
public sealed class AudioTooLongException : Exception
{
    public AudioTooLongException(string message) : base(message) { }
}
