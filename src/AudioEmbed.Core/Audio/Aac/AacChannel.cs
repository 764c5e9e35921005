namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// One output channel: its individual_channel_stream (ISO/IEC 14496-3 Table 4.44) as decoded for the current frame —
/// window info, band types, scalefactors, pulse and TNS data, the dequantised spectrum — and the filterbank state
/// that carries over between frames.
/// </summary>
internal sealed class AacChannel
{
    private const int MaxBands = 8 * 16; // 8 window groups x at most 15 short bands, or 51 long bands

    public readonly AacIcsInfo Ics = new();
    public readonly int[] BandType = new int[MaxBands];
    public readonly int[] RunEnd = new int[MaxBands];
    public readonly float[] Gains = new float[MaxBands];
    public readonly float[] Coefficients = new float[1024];
    public readonly AacTns Tns = new();
    private readonly AacPulseData _pulse = new();
    private readonly AacFilterbank _filterbank = new();

    /// <summary>Reads one individual_channel_stream; with <paramref name="commonWindow"/> the ics_info was set by the CPE.</summary>
    public void Decode(AacBitReader br, bool commonWindow, int samplingIndex, AacNoiseGenerator noise, AacToolUsage usage, string source)
    {
        int globalGain = br.Read(8);
        if (!commonWindow) Ics.Read(br, samplingIndex, source);
        AacSectionData.Read(br, Ics, BandType, RunEnd, source);
        AacScalefactors.Read(br, Ics, globalGain, BandType, RunEnd, Gains, source);

        bool pulsePresent = br.ReadBit();
        if (pulsePresent)
        {
            if (Ics.IsEightShort) throw new AudioDecodeException(source, "an AAC frame uses pulse data in a short-window frame, which the standard forbids");
            _pulse.Read(br, Ics, source);
        }
        Tns.Present = br.ReadBit();
        if (Tns.Present) Tns.Read(br, Ics, source);
        if (br.ReadBit()) throw new AudioDecodeException(source, "an AAC-LC frame carries gain control data (an AAC SSR tool)");
        if (br.Overrun) throw new AudioDecodeException(source, "an AAC channel stream's side information runs past the end of the frame");

        DecodeSpectrum(br, noise, usage, source);
        if (br.Overrun) throw new AudioDecodeException(source, "AAC spectral data run past the end of the frame");
        if (pulsePresent)
        {
            _pulse.Apply(Coefficients, Ics, BandType, Gains);
            usage.Pulses += _pulse.Count;
        }
        if (Ics.IsEightShort) usage.ShortWindowFrames++;
        else if (Ics.WindowSequence == AacWindowSequence.OnlyLong) usage.LongWindows++;
        else usage.StartStopWindows++;
        if (Ics.KbdWindow) usage.KbdWindows++;
    }

    private void DecodeSpectrum(AacBitReader br, AacNoiseGenerator noise, AacToolUsage usage, string source)
    {
        var ics = Ics;
        var offsets = ics.SwbOffset;
        var coef = Coefficients;
        int windowLength = 1024 / ics.NumWindows;
        for (int w = 0; w < ics.NumWindows; w++)
            Array.Clear(coef, w * 128 + offsets[ics.MaxSfb], windowLength - offsets[ics.MaxSfb]);

        int idx = 0, windowBase = 0;
        for (int g = 0; g < ics.NumWindowGroups; g++)
        {
            int groupLength = ics.GroupLength[g];
            for (int i = 0; i < ics.MaxSfb; i++, idx++)
            {
                int type = BandType[idx];
                int start = offsets[i], width = offsets[i + 1] - start;
                for (int w = 0; w < groupLength; w++)
                {
                    var band = coef.AsSpan(windowBase + w * 128 + start, width);
                    if (type == AacBandType.Zero || type >= AacBandType.IntensityOutOfPhase) band.Clear();
                    else if (type == AacBandType.Noise) noise.Fill(band, Gains[idx]);
                    else AacSpectralHuffman.DecodeBand(br, type, Gains[idx], band, source);
                }
                if (type == AacBandType.Noise) usage.NoiseBands++;
                else if (type == AacBandType.Escape) usage.EscapeBands++;
            }
            windowBase += groupLength * 128;
            if (br.Overrun) return;
        }
    }

    /// <summary>TNS, then the filterbank: the frame's 1024 output samples of this channel.</summary>
    public void Synthesize(Span<float> output, AacToolUsage usage)
    {
        if (Tns.Present) usage.TnsFilters += Tns.Apply(Coefficients, Ics);
        _filterbank.Synthesize(Coefficients, Ics, output);
    }
}
