namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// Joint stereo processing on the requantised spectra, before reordering: mid/side (ISO/IEC 11172-3 2.4.3.4.9.2)
/// and intensity stereo, MPEG-1 (tan(is_pos * pi/12) ratios, position 7 illegal) and LSF (13818-3: powers of
/// 2^-1/4 or 2^-1/2, illegal position = the band's largest value). Bands above the right channel's last non-zero
/// line are intensity-coded; the highest band reuses the position of the band below it.
/// </summary>
internal static class Mp3Stereo
{
    /// <summary>MPEG-1 intensity ratios for is_pos 0..6: left and right factors.</summary>
    private static readonly float[] IsLeft = new float[7];
    private static readonly float[] IsRight = new float[7];

    static Mp3Stereo()
    {
        for (int p = 0; p < 7; p++)
        {
            double a = p * Math.PI / 12;
            double s = Math.Sin(a), c = Math.Cos(a);
            IsLeft[p] = (float)(s / (s + c));
            IsRight[p] = (float)(c / (s + c));
        }
    }

    /// <summary>Processes one granule of a joint-stereo frame; updates the non-zero limits of both channels.</summary>
    public static void Process(in Mp3FrameHeader h, Mp3GranuleInfo right, int sri, float[] l, float[] r, Mp3Scalefactors scf, int[] nonZero)
    {
        bool ms = h.MsStereo;
        int limit = Math.Max(nonZero[0], nonZero[1]);
        if (!h.IntensityStereo)
        {
            if (ms) MidSide(l, r, 0, limit);
            nonZero[0] = nonZero[1] = limit;
            return;
        }

        bool mpeg1 = h.IsMpeg1;
        float lsfBase = (right.ScalefacCompress & 1) == 1 ? 0.70710678f : 0.84089642f;
        int nzRight = nonZero[1];
        var sl = scf.Long[1];
        var ss = scf.Short[1];

        if (!right.IsShort || right.Mixed)
        {
            var lb = Mp3Tables.LongBounds[sri];
            int longEnd = right.IsShort ? (mpeg1 ? 8 : 6) : 22;
            // Long part of a mixed block: intensity only where the right channel is zero up to the end.
            bool shortPartZero = true;
            if (right.IsShort)
                for (int i = lb[longEnd]; i < 576; i++) if (r[i] != 0) { shortPartZero = false; break; }
            for (int sfb = 0; sfb < longEnd; sfb++)
            {
                int start = lb[sfb], stop = lb[sfb + 1];
                bool inIntensity = shortPartZero && start >= nzRight;
                int pos = sfb == 21 ? sl[20] : sl[sfb];
                int max = mpeg1 ? 7 : (sfb == 21 ? scf.IsMaxLong[20] : scf.IsMaxLong[sfb]);
                if (inIntensity && pos != max) Intensity(l, r, start, stop, pos, mpeg1, lsfBase);
                else if (ms) MidSide(l, r, start, stop);
            }
        }
        if (right.IsShort)
        {
            var sb = Mp3Tables.ShortBounds[sri];
            int first = right.Mixed ? 3 : 0;
            for (int w = 0; w < 3; w++)
            {
                // The highest band of this window where the right channel has non-zero lines.
                int lastNonZeroBand = first - 1;
                for (int sfb = 12; sfb >= first; sfb--)
                {
                    int width = sb[sfb + 1] - sb[sfb];
                    int s = sb[sfb] * 3 + w * width;
                    bool any = false;
                    for (int i = s; i < s + width; i++) if (r[i] != 0) { any = true; break; }
                    if (any) { lastNonZeroBand = sfb; break; }
                }
                for (int sfb = first; sfb < 13; sfb++)
                {
                    int width = sb[sfb + 1] - sb[sfb];
                    int s = sb[sfb] * 3 + w * width;
                    int band = sfb == 12 ? 11 : sfb;
                    int pos = ss[band * 3 + w];
                    int max = mpeg1 ? 7 : scf.IsMaxShort[band];
                    if (sfb > lastNonZeroBand && pos != max) Intensity(l, r, s, s + width, pos, mpeg1, lsfBase);
                    else if (ms) MidSide(l, r, s, s + width);
                }
            }
        }
        nonZero[0] = nonZero[1] = 576;
    }

    private static void MidSide(float[] l, float[] r, int start, int stop)
    {
        const float invSqrt2 = 0.70710678118654752f;
        for (int i = start; i < stop; i++)
        {
            float m = l[i], s = r[i];
            l[i] = (m + s) * invSqrt2;
            r[i] = (m - s) * invSqrt2;
        }
    }

    private static void Intensity(float[] l, float[] r, int start, int stop, int pos, bool mpeg1, float lsfBase)
    {
        float kl, kr;
        if (mpeg1)
        {
            if (pos > 6) return; // cannot happen (7 is the illegal marker); values above come only from corrupt data
            kl = IsLeft[pos];
            kr = IsRight[pos];
        }
        else if (pos == 0) { kl = 1; kr = 1; }
        else if ((pos & 1) == 1) { kl = MathF.Pow(lsfBase, (pos + 1) >> 1); kr = 1; }
        else { kl = 1; kr = MathF.Pow(lsfBase, pos >> 1); }
        for (int i = start; i < stop; i++)
        {
            float v = l[i];
            l[i] = v * kl;
            r[i] = v * kr;
        }
    }
}
