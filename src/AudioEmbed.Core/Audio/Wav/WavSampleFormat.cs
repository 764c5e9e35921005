namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// The validated sample layout of a PCM/float stream (from a WAV fmt chunk or an AIFF COMM chunk):
/// everything the sample converter needs, and the words used to describe it.
/// </summary>
public sealed record WavSampleFormat(
    WavSampleEncoding Encoding,
    int Channels,
    int SampleRate,
    int ValidBits,
    bool BigEndian = false)
{
    public int ContainerBytes => Encoding switch
    {
        WavSampleEncoding.UInt8 or WavSampleEncoding.Int8 => 1,
        WavSampleEncoding.Int16 => 2,
        WavSampleEncoding.Int24 => 3,
        WavSampleEncoding.Int32 or WavSampleEncoding.Float32 => 4,
        _ => 8,
    };

    public int ContainerBits => ContainerBytes * 8;

    public int BlockAlign => ContainerBytes * Channels;

    public bool IsFloat => Encoding is WavSampleEncoding.Float32 or WavSampleEncoding.Float64;

    /// <summary>
    /// AND-mask that clears the container's unused low bits, so a sample with fewer valid bits than its
    /// container (24-in-32, 12-in-16) is read at its declared resolution even if a writer left junk there.
    /// </summary>
    internal int LowBitsMask => IsFloat || ValidBits >= ContainerBits ? -1 : ~((1 << (ContainerBits - ValidBits)) - 1);

    /// <summary>E.g. "PCM 16-bit", "PCM 8-bit unsigned", "PCM 24-bit in 32-bit container", "IEEE float 32-bit".</summary>
    public string Describe()
    {
        if (IsFloat) return $"IEEE float {ContainerBits}-bit";
        var text = $"PCM {ValidBits}-bit";
        if (Encoding == WavSampleEncoding.UInt8) text += " unsigned";
        if (ValidBits != ContainerBits) text += $" in {ContainerBits}-bit container";
        return BigEndian && ContainerBytes > 1 ? text + " big-endian" : text;
    }
}
