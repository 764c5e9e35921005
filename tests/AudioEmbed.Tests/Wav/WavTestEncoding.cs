using System.Buffers.Binary;

namespace AudioEmbed.Tests.Wav;

/// <summary>
/// One sample format as a test sees it: how to write a random sample as bytes and what float the README's
/// convention says it must decode to (computed here in double, independently of the decoder's code).
/// </summary>
public sealed record WavTestEncoding(string Name, ushort Tag, int ContainerBits, int ValidBits, bool Extensible)
{
    public int ContainerBytes => ContainerBits / 8;

    public override string ToString() => Name;

    public static readonly WavTestEncoding[] All =
    [
        new("u8", 1, 8, 8, false),
        new("s16", 1, 16, 16, false),
        new("s24", 1, 24, 24, false),
        new("s32", 1, 32, 32, false),
        new("f32", 3, 32, 32, false),
        new("f64", 3, 64, 64, false),
        new("ext-u8", 1, 8, 8, true),
        new("ext-s16", 1, 16, 16, true),
        new("ext-s24", 1, 24, 24, true),
        new("ext-s32", 1, 32, 32, true),
        new("ext-s24in32", 1, 32, 24, true),
        new("ext-s20in24", 1, 24, 20, true),
        new("ext-f32", 3, 32, 32, true),
        new("ext-f64", 3, 64, 64, true),
    ];

    public byte[] FmtBody(int channels, int rate) => Extensible
        ? WavTestBytes.FmtExtensible(Tag, channels, rate, ContainerBits, ValidBits)
        : WavTestBytes.Fmt(Tag, channels, rate, ContainerBits);

    /// <summary>Random samples (full scale, extremes included) as stored bytes, and their expected decoded values.</summary>
    public (byte[] Data, float[] Expected) Signal(int samples, int seed)
    {
        var rng = new Random(seed);
        var data = new byte[samples * ContainerBytes];
        var expected = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            var at = data.AsSpan(i * ContainerBytes, ContainerBytes);
            if (Tag == 3)
            {
                double v = i < 2 ? (i == 0 ? 1.0 : -1.0) : rng.NextDouble() * 2.2 - 1.1;
                if (ContainerBits == 32) { BinaryPrimitives.WriteSingleLittleEndian(at, (float)v); expected[i] = (float)v; }
                else { BinaryPrimitives.WriteDoubleLittleEndian(at, v); expected[i] = (float)v; }
                continue;
            }
            // A value with ValidBits of resolution; the container's unused low bits get junk the decoder must ignore.
            long lo = -(1L << (ValidBits - 1)), hi = (1L << (ValidBits - 1)) - 1;
            long value = i switch { 0 => lo, 1 => hi, 2 => 0, _ => rng.NextInt64(lo, hi + 1) };
            int junkBits = ContainerBits - ValidBits;
            long stored = (value << junkBits) | (junkBits > 0 ? rng.NextInt64(0, 1L << junkBits) : 0);
            if (ContainerBits == 8) stored += 128; // WAV 8-bit is unsigned
            for (int b = 0; b < ContainerBytes; b++) at[b] = (byte)(stored >> (8 * b));
            expected[i] = (float)(value / Math.Pow(2, ValidBits - 1));
        }
        return (data, expected);
    }
}
