namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// pulse_data (ISO/IEC 14496-3 Table 4.7, 4.6.4): up to four single-line amplitude offsets added to the quantised
/// values of a long window. Read before the spectral data, applied after it (on the dequantised lines, by recovering
/// the quantised value, adding the offset away from zero, and dequantising again).
/// </summary>
internal sealed class AacPulseData
{
    public int Count;
    public readonly int[] Position = new int[4];
    public readonly int[] Amplitude = new int[4];

    public void Read(AacBitReader br, AacIcsInfo ics, string source)
    {
        Count = br.Read(2) + 1;
        int startBand = br.Read(6);
        if (startBand >= ics.NumSwb) throw new AudioDecodeException(source, $"AAC pulse data starts at band {startBand}, beyond the {ics.NumSwb} bands");
        int end = ics.SwbOffset[ics.NumSwb];
        int pos = ics.SwbOffset[startBand];
        for (int i = 0; i < Count; i++)
        {
            pos += br.Read(5);
            if (pos >= end) throw new AudioDecodeException(source, "AAC pulse data points past the last spectral line");
            Position[i] = pos;
            Amplitude[i] = br.Read(4);
        }
    }

    public void Apply(float[] coefficients, AacIcsInfo ics, int[] bandType, float[] gains)
    {
        var offsets = ics.SwbOffset;
        for (int i = 0; i < Count; i++)
        {
            int pos = Position[i];
            int band = 0;
            while (offsets[band + 1] <= pos) band++;
            if (band >= ics.MaxSfb) continue; // not transmitted: no quantised value to offset
            int type = bandType[band];
            if (type == AacBandType.Zero || type >= AacBandType.Noise) continue;
            float gain = gains[band];
            float amp = Amplitude[i];
            float co = coefficients[pos];
            float q = -amp;
            if (co != 0)
            {
                co /= gain;
                q = co / MathF.Sqrt(MathF.Sqrt(MathF.Abs(co))) + (co > 0 ? amp : -amp);
            }
            coefficients[pos] = MathF.Cbrt(MathF.Abs(q)) * q * gain;
        }
    }
}
