namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// scale_factor_data (ISO/IEC 14496-3 Table 4.47, 4.6.2.3): three differentially coded chains — band gains starting
/// at global_gain, noise energies (PNS, the first one a 9-bit PCM value) and intensity positions — turned into the
/// linear factor each band needs: the dequantisation gain, the noise band's target amplitude, or the intensity scale.
/// </summary>
internal static class AacScalefactors
{
    private const int NoiseOffset = 90;
    private const int NoisePcmBits = 9;
    private const int NoisePcmOffset = 256;

    public static void Read(AacBitReader br, AacIcsInfo ics, int globalGain, int[] bandType, int[] runEnd, float[] gains, string source)
    {
        var book = AacHuffmanTable.Books[0];
        int gain = globalGain, noise = globalGain - NoiseOffset, position = 0;
        bool firstNoise = true;
        int idx = 0;
        for (int g = 0; g < ics.NumWindowGroups; g++)
        {
            for (int i = 0; i < ics.MaxSfb;)
            {
                int type = bandType[idx];
                int end = runEnd[idx];
                for (; i < end; i++, idx++)
                {
                    switch (type)
                    {
                        case AacBandType.Zero:
                            gains[idx] = 0;
                            break;
                        case AacBandType.IntensityInPhase:
                        case AacBandType.IntensityOutOfPhase:
                            position += book.Decode(br) - 60;
                            // 0.5^(position / 4); the position is clipped as the reference decoder does.
                            gains[idx] = AacDequantizer.Pow2Quarter(-Math.Clamp(position, -155, 100));
                            break;
                        case AacBandType.Noise:
                            if (firstNoise) { noise += br.Read(NoisePcmBits) - NoisePcmOffset; firstNoise = false; }
                            else noise += book.Decode(br) - 60;
                            gains[idx] = AacDequantizer.Pow2Quarter(Math.Clamp(noise, -100, 155));
                            break;
                        default:
                            gain += book.Decode(br) - 60;
                            if ((uint)gain > 255) throw new AudioDecodeException(source, $"an AAC scalefactor ({gain}) is outside 0-255");
                            gains[idx] = AacDequantizer.Pow2Quarter(gain - 100);
                            break;
                    }
                }
            }
        }
        if (br.Overrun) throw new AudioDecodeException(source, "AAC scalefactor data run past the end of the frame");
    }
}
