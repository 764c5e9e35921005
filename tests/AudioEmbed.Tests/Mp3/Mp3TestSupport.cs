using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp3;

namespace AudioEmbed.Tests.Mp3;

/// <summary>Helpers shared by the MP3 tests: whole-file decode and the ISO 11172-4 accuracy measure.</summary>
internal static class Mp3TestSupport
{
    /// <summary>ISO/IEC 11172-4 full accuracy: RMS of the difference below 2^-15/sqrt(12), max |diff| at most 2^-14.</summary>
    public const double FullAccuracyRms = 8.81e-6;
    public const double FullAccuracyMax = 6.104e-5;

    public static (float[] Pcm, int Channels, int SampleRate) DecodeAll(string path, bool gapless)
    {
        using var d = Mp3Decoder.Open(path, gapless);
        return (d.ReadAll(), d.Channels, d.SampleRate);
    }

    /// <summary>Raw 16-bit little-endian interleaved reference, as fractions of full scale.</summary>
    public static double[] ReadPcm16(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var r = new double[bytes.Length / 2];
        for (int i = 0; i < r.Length; i++) r[i] = (short)(bytes[2 * i] | bytes[2 * i + 1] << 8) / 32768.0;
        return r;
    }

    /// <summary>
    /// Rounds the decoder's float output to 16 bits (with clipping, as a 16-bit reference was made) and returns
    /// the RMS and largest absolute difference against the reference over reference.Length values starting at
    /// interleaved index <paramref name="offset"/>.
    /// </summary>
    public static (double Rms, double Max) Compare16(float[] output, int offset, double[] reference)
    {
        double se = 0, max = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double v = Math.Round(Math.Clamp(output[offset + i] * 32768.0, -32768, 32767)) / 32768.0;
            double d = Math.Abs(v - reference[i]);
            se += d * d;
            if (d > max) max = d;
        }
        return (Math.Sqrt(se / Math.Max(1, reference.Length)), max);
    }
}
