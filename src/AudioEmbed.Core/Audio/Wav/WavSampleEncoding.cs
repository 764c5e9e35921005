namespace AudioEmbed.Core.Audio.Wav;

/// <summary>How one stored sample is laid out: the container type, before valid-bit masking and scaling.</summary>
public enum WavSampleEncoding
{
    /// <summary>8-bit unsigned, 128 = silence (WAV's only 8-bit form).</summary>
    UInt8,
    /// <summary>8-bit two's complement (AIFF's 8-bit form).</summary>
    Int8,
    Int16,
    /// <summary>24-bit packed, 3 bytes per sample.</summary>
    Int24,
    Int32,
    Float32,
    Float64,
}
