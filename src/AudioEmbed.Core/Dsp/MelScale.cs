namespace AudioEmbed.Core.Dsp;

/// <summary>Hertz/mel conversions in double precision.</summary>
public static class MelScale
{
    // Slaney (Auditory Toolbox) scale: linear below 1 kHz at 200/3 Hz per mel, logarithmic above
    // with ln(6.4)/27 per mel, so that 1 kHz is mel 15.
    private const double SlaneyHzPerMel = 200.0 / 3;
    private const double SlaneyBreakHz = 1000.0;
    private const double SlaneyBreakMel = SlaneyBreakHz / SlaneyHzPerMel;
    private static readonly double SlaneyLogStep = Math.Log(6.4) / 27.0;

    public static double HzToMelSlaney(double hz) =>
        hz >= SlaneyBreakHz
            ? SlaneyBreakMel + Math.Log(hz / SlaneyBreakHz) / SlaneyLogStep
            : hz / SlaneyHzPerMel;

    public static double MelToHzSlaney(double mel) =>
        mel >= SlaneyBreakMel
            ? SlaneyBreakHz * Math.Exp(SlaneyLogStep * (mel - SlaneyBreakMel))
            : SlaneyHzPerMel * mel;

    /// <summary>HTK/Kaldi scale: 1127 ln(1 + f / 700) (= 2595 log10(1 + f / 700)).</summary>
    public static double HzToMelHtk(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);

    public static double MelToHzHtk(double mel) => 700.0 * (Math.Exp(mel / 1127.0) - 1.0);
}
