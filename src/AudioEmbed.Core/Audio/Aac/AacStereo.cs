namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// Joint stereo of a channel pair: mid/side (ISO/IEC 14496-3 4.6.8.1) and intensity stereo (4.6.8.2), applied in that
/// order on the dequantised spectra, before TNS.
/// </summary>
internal static class AacStereo
{
    /// <summary>L = M + S, R = M - S in every band whose mask bit is set, unless either channel codes it as noise or intensity.</summary>
    public static void ApplyMidSide(AacChannel left, AacChannel right, bool[] mask)
    {
        var ics = left.Ics;
        var offsets = ics.SwbOffset;
        float[] l = left.Coefficients, r = right.Coefficients;
        int idx = 0, windowBase = 0;
        for (int g = 0; g < ics.NumWindowGroups; g++)
        {
            for (int i = 0; i < ics.MaxSfb; i++, idx++)
            {
                if (!mask[idx] || left.BandType[idx] >= AacBandType.Noise || right.BandType[idx] >= AacBandType.Noise) continue;
                for (int w = 0; w < ics.GroupLength[g]; w++)
                {
                    int start = windowBase + w * 128 + offsets[i], end = windowBase + w * 128 + offsets[i + 1];
                    for (int k = start; k < end; k++)
                    {
                        float m = l[k], s = r[k];
                        l[k] = m + s;
                        r[k] = m - s;
                    }
                }
            }
            windowBase += ics.GroupLength[g] * 128;
        }
    }

    /// <summary>
    /// Intensity bands of the right channel: the left spectrum scaled by 0.5^(position/4), with the sign of the
    /// codebook (15 in phase, 14 out of phase) flipped where the M/S mask bit is set. Returns the number of bands coded so.
    /// </summary>
    public static int ApplyIntensity(AacChannel left, AacChannel right, bool[] mask, bool msPresent)
    {
        var ics = right.Ics;
        var offsets = ics.SwbOffset;
        float[] l = left.Coefficients, r = right.Coefficients;
        int idx = 0, windowBase = 0, bands = 0;
        for (int g = 0; g < ics.NumWindowGroups; g++)
        {
            for (int i = 0; i < ics.MaxSfb; i++, idx++)
            {
                int type = right.BandType[idx];
                if (type != AacBandType.IntensityInPhase && type != AacBandType.IntensityOutOfPhase) continue;
                bands++;
                float sign = type == AacBandType.IntensityInPhase ? 1f : -1f;
                if (msPresent && mask[idx]) sign = -sign;
                float scale = sign * right.Gains[idx];
                for (int w = 0; w < ics.GroupLength[g]; w++)
                {
                    int start = windowBase + w * 128 + offsets[i], end = windowBase + w * 128 + offsets[i + 1];
                    for (int k = start; k < end; k++) r[k] = l[k] * scale;
                }
            }
            windowBase += ics.GroupLength[g] * 128;
        }
        return bands;
    }
}
