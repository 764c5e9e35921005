using System.Collections.Concurrent;

namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// The stages libsoxr 0.1.3 builds for <c>soxr_quality_spec(SOXR_HQ, 0)</c> (20-bit precision, linear phase, what
/// python-soxr's <c>quality='HQ'</c> and librosa's <c>res_type='soxr_hq'</c> use), each turned into a zero-delay
/// <see cref="PolyphaseFir"/> with float32 taps as libsoxr's single-precision engine stores them.
/// <para>
/// libsoxr splits the ratio into: halving stages (fixed half-band filters) for large decimation; a "pre" stage, an
/// integer L/M (its DFT stage); an "arbitrary" polyphase stage for the remaining rational ratio (up to 2048 phases);
/// and a "post" DFT stage for a final factor of two (or an integer upsampling). 44.1 kHz → 24 kHz is polyphase
/// 160/147 (to 48 kHz) then DFT 1/2; 48 kHz → 24 kHz one DFT 1/2; 16 → 24 DFT 3/2; 32 → 24 DFT 3/4; 22.05 → 24 DFT
/// 2/1 then polyphase 80/147. Each stage is, mathematically, upsample by L, FIR, keep every M-th sample, aligned so
/// that output 0 sits on input 0 (libsoxr pre-loads each stage's FIFO with zeros to that end). libsoxr runs its DFT
/// stages as FFT convolutions and we as direct dot products: the same sums, up to float32 rounding.
/// </para>
/// A ratio that is not a fraction with a denominator up to 2048 (44,056 Hz, or 7,999 Hz, to 24 kHz) gets libsoxr's
/// interpolated polyphase stage instead (<see cref="InterpolatedPolyphaseFir"/>): 2^k phases, each tap linear or
/// quadratic in the fractional position, on libsoxr's 32.32 fixed-point clock.
/// </summary>
internal static class SoxrHqDesign
{
    private const int Precision = 20;
    private const int Mode = 3;                   // libsoxr's "mode" for 20-bit quality: ((int)ceil(bits) − 6) / 4
    private const double StopbandBegin = 1.0;     // Fs0: stop-band starts at the output Nyquist
    private const int MaxPhases = 2048;           // largest rational denominator tried in mode ≠ 0
    private const double Mult32 = 65536.0 * 65536.0;

    /// <summary>Pass-band end relative to Nyquist: 1 − 0.05 / (3 dB point of a 120.4 dB filter) = 0.9137.</summary>
    public static double PassbandEnd { get; } = 1 - .05 / SoxrFilterDesign.To3dB(Precision * SoxrFilterDesign.DecibelsPerBit);

    // libsoxr's half-band FIR tables for the float32 engine (odd taps of a decimate-by-2 filter whose centre tap is
    // 0.5), chosen by the attenuation they reach.
    private static readonly (double[] Coefs, double Attenuation)[] HalfBands =
    {
        (new[] { 3.1154652365332069e-01, -8.7344917685739543e-02, 3.6814458353637280e-02, -1.5189204581464479e-02,
                 5.4540855610738801e-03, -1.5643862626630416e-03, 3.1816575906323303e-04, -3.4799449225005688e-05 }, 136.51),
        (new[] { 3.1227034755311189e-01, -8.9221517147969526e-02, 3.9139704015071934e-02, -1.7250558515852023e-02,
                 6.8589440230476112e-03, -2.3045049636430419e-03, 6.0963740543348963e-04, -1.1323803957431231e-04,
                 1.1197769991000046e-05 }, 152.32),
    };

    private static readonly ConcurrentDictionary<(int, int), SoxrHqPlan> Cache = new();

    public static SoxrHqPlan Get(int sampleRateIn, int sampleRateOut) =>
        Cache.GetOrAdd((sampleRateIn, sampleRateOut), key => Build(key.Item1, key.Item2));

    private static SoxrHqPlan Build(int sampleRateIn, int sampleRateOut)
    {
        double ioRatio = (double)sampleRateIn / sampleRateOut;
        double fp0 = PassbandEnd, fs0 = StopbandBegin;
        double att = (Precision + 1) * SoxrFilterDesign.DecibelsPerBit; // +1 bit: pass-band ripple plus stop-band

        // Split the ratio into stages (libsoxr's loop, which restarts when it moves a factor into postL).
        double arbM = ioRatio;
        int preL = 1, preM = 0, shr = 0, arbL = 1, postL = 1, postM = 1;
        bool upsample = false, rational = false;
        for (bool again = true; again;)
        {
            again = false;
            upsample = arbM < 1;
            shr = 0;
            for (int i = (int)(.5 * arbM); (i >>= 1) != 0; arbM *= .5) shr++;
            preM = upsample || (arbM > 1.5 && arbM < 2) ? 1 : 0;
            postM = 1 + (arbM > 1 && preM != 0 ? 1 : 0);
            arbM /= postM;
            preL = 1 + (preM == 0 && arbM < 2 ? 1 : 0) + (upsample ? 1 : 0);
            arbM *= preL;
            double frac = arbM - (int)arbM, epsilon = 0;
            if (frac != 0) epsilon = Math.Abs(Math.Floor(frac * Mult32 + .5) / (frac * Mult32) - 1);
            rational = frac == 0;
            for (int i = 1; i <= MaxPhases && !rational; i++)
            {
                double d = frac * i;
                int attempt = (int)(d + .5);
                rational = Math.Abs(attempt / d - 1) <= epsilon;
                if (!rational) continue;
                if (attempt == i)
                {
                    arbM = Math.Ceiling(arbM);
                    int x = arbM > 3 ? 1 : 0;
                    shr += x;
                    arbM /= 1 + x;
                }
                else
                {
                    arbM = i * (int)arbM + attempt;
                    arbL = i;
                }
            }
            int l = preL * arbL, m = (int)(arbM * postM);
            if (((l | m) & 1) == 0) { l >>= 1; m >>= 1; }
            double ratioL;
            if (postL == 1 && (ratioL = preL * arbL / arbM) > 4 && ratioL != 5)
            {
                // Large upsampling: move a power of two into a final DFT stage and go round again.
                postL = 4;
                for (int i = (int)(ratioL / 16); (i >>= 1) != 0 && postL < 256;) postL <<= 1;
                arbM = arbM * postL / arbL / preL;
                arbL = 1;
                again = true;
            }
            else if (rational && (Math.Max(l, m) < 5 || l * m < 6))
            {
                // A small integer ratio: one DFT stage does it all.
                preL = l;
                preM = m;
                arbM = arbL = postM = 1;
            }
        }

        bool hasPre = preM * preL != 1, hasArb = arbM * arbL != 1, hasPost = postM * postL != 1;
        int numStages = shr + (hasPre ? 1 : 0) + (hasArb ? 1 : 0) + (hasPost ? 1 : 0);
        if (numStages == 0) throw new ArgumentException($"No resampling needed from {sampleRateIn} Hz to {sampleRateOut} Hz.");
        double alpha = postM / (ioRatio * postL);
        double attArb = att;
        int budget = numStages;
        if (budget > 1)
        {
            // Attenuation budget: each extra stage adds its own error.
            if (hasArb) { att += SoxrFilterDesign.DecibelsPerBit; attArb = att; budget--; }
            att += 20 * Math.Log10(budget);
        }

        var stages = new List<IResamplingStage>();
        var description = new List<string>();
        if (shr > 0)
        {
            int h = 0;
            while (h + 1 < HalfBands.Length && att > HalfBands[h].Attenuation) h++;
            var halfBand = HalfBandTaps(HalfBands[h].Coefs);
            for (int i = 0; i < shr; i++)
            {
                stages.Add(PolyphaseFir.FromCentredFilter(1, 2, halfBand, halfBand.Length / 2));
                description.Add($"half-band 1/2 ({halfBand.Length} taps)");
            }
        }

        double fp1 = fp0, fs1 = fs0;
        if (hasPre)
        {
            double fn1 = preM != 0 ? Math.Max(preL, preM) : arbM / arbL;
            stages.Add(DftStage(fp1, fs1, fn1, att, preL, Math.Max(preM, 1), out int taps));
            description.Add($"DFT {preL}/{Math.Max(preM, 1)} ({taps} taps)");
            fp1 /= fn1;
            fs1 /= fn1;
        }

        if (hasArb)
        {
            if (rational)
            {
                stages.Add(PolyphaseStage(fp1, fs1, attArb, upsample, preM != 0, ref arbL, ref arbM, out int numCoefs));
                description.Add($"polyphase {arbL}/{arbM} ({numCoefs} taps per phase)");
            }
            else
            {
                var stage = InterpolatedStage(fp1, fs1, attArb, upsample, preM != 0, arbM / arbL, out int numCoefs);
                stages.Add(stage);
                description.Add($"interpolated polyphase 1/{arbM / arbL:0.######} ({numCoefs} taps, {1 << stage.PhaseBits} phases, order {stage.Order})");
            }
        }

        if (hasPost)
        {
            double fp = fp0 / (upsample ? alpha : 1);
            double fs = upsample ? Math.Max(2 - fs0 / alpha, 1) : fs0;
            stages.Add(DftStage(fp, fs, Math.Max(postL, postM), att, postL, postM, out int taps));
            description.Add($"DFT {postL}/{postM} ({taps} taps)");
        }
        return new SoxrHqPlan(sampleRateIn, sampleRateOut, stages, string.Join(", ", description));
    }

    /// <summary>libsoxr's DFT stage filter: a linear-phase low-pass of odd length, gain L (it upsamples by L).</summary>
    private static PolyphaseFir DftStage(double fp, double fs, double fn, double att, int l, int m, out int numTaps)
    {
        bool powerOfTwoL = l >= 2 && (l & (l - 1)) == 0;
        int k = powerOfTwoL && fn == l ? l << 1 : 4;
        numTaps = 0;
        var h = SoxrFilterDesign.DesignLowPass(fp, fs, fn, att, ref numTaps, -k, -1)!;
        var taps = new float[numTaps];
        for (int i = 0; i < numTaps; i++) taps[i] = (float)(h[i] * l);
        return PolyphaseFir.FromCentredFilter(l, m, taps, numTaps / 2);
    }

    // libsoxr's interpolation choices for the float32 SIMD engine at 20-bit quality: phase-bit scalars for order 1 and
    // order 2, by (upsampling, decimating after a 2:1 DFT stage, decimating alone). libsoxr keeps them as floats.
    private static (float Order1, float Order2) InterpolationScalars(bool upsample, bool hasPreM) =>
        upsample ? (11f, 7f) : hasPreM ? (10.6f, 6.75f) : (12.4f, 7.8f);

    /// <summary>Coefficient memory libsoxr allows before it falls back to a higher interpolation order (kB).</summary>
    private const int CoefSizeKilobytes = 400;

    private static InterpolatedPolyphaseFir InterpolatedStage(double fp1, double fs1, double attArb, bool upsample, bool hasPreM,
        double arbM, out int numCoefs)
    {
        var (fn, fs, fp) = PolyphaseBand(fp1, fs1, attArb, upsample, hasPreM, arbM, arbL: 1);
        double mult = upsample ? 1 : arbM;
        var scalars = InterpolationScalars(upsample, hasPreM);
        int order = 0, phaseBits = 0, phases = 0, width = 0;
        numCoefs = 0;
        for (int i = 1; i <= 2; i++)
        {
            order = i;
            phaseBits = (int)Math.Ceiling((i == 1 ? scalars.Order1 : scalars.Order2) - Math.Log(mult) / Math.Log(2.0));
            phases = 1 << phaseBits;
            int phases0 = Math.Max(phases, 19), dryTaps = 0;
            SoxrFilterDesign.DesignLowPass(fp, fs, -fn, attArb, ref dryTaps, phases0, -1);
            numCoefs = dryTaps / phases0 + 1;
            if (!hasPreM) numCoefs += numCoefs & 1;
            width = (numCoefs + 3) & ~3;
            long coefBytes = (long)width * phases * (order + 1) * sizeof(float);
            if (coefBytes / 1000 <= CoefSizeKilobytes) break;
        }
        int numTaps = numCoefs * phases - 1;
        var h = SoxrFilterDesign.DesignLowPass(fp, fs, fn, attArb, ref numTaps, phases, -1)!;
        var coefficients = InterpolatedPolyphaseFir.BuildCoefficients(h, numCoefs, phases, width, order);
        long start = (long)(.5 * (numCoefs & 1) * Mult32 + .5);
        long step = (long)(arbM * Mult32 + .5);
        int leadingZeros = ((numCoefs - 1) >> 1) + (width - numCoefs);
        return new InterpolatedPolyphaseFir(phaseBits, order, width, coefficients, start, step, leadingZeros);
    }

    /// <summary>The polyphase stage's band edges and design Nyquist (libsoxr widens the pass-band for its roll-off).</summary>
    private static (double Fn, double Fs, double Fp) PolyphaseBand(double fp1, double fs1, double attArb, bool upsample, bool hasPreM, double arbM, int arbL)
    {
        double mult = upsample ? 1 : arbM / arbL;
        double fn, fs;
        if (!upsample && hasPreM) { fn = 2 * mult; fs = 3 + Math.Abs(fs1 - 1); }
        else { fn = 1; fs = 2 - (fp1 + (fs1 - fp1) * .7); }
        // Roll-off "small" (−0.01 dB at the pass-band end); libsoxr keeps the −0.01 in a float table.
        double fp = fs - (fs - fp1) / (1 - SoxrFilterDesign.InverseResponse((double)-.01f, attArb));
        return (fn, fs, fp);
    }

    /// <summary>
    /// libsoxr's polyphase ("arbitrary rate") stage for a rational ratio arbL/arbM: one filter of numCoefs·phases − 1
    /// taps designed at the upsampled rate, gain = phases; output i sits at input i·arbM/arbL.
    /// </summary>
    private static PolyphaseFir PolyphaseStage(double fp1, double fs1, double attArb, bool upsample, bool hasPreM,
        ref int arbL, ref double arbM, out int numCoefs)
    {
        var (fn, fs, fp) = PolyphaseBand(fp1, fs1, attArb, upsample, hasPreM, arbM, arbL);
        int phases = arbL;
        int dryTaps = 0;
        int phases0 = Math.Max(phases, 19);
        SoxrFilterDesign.DesignLowPass(fp, fs, -fn, attArb, ref dryTaps, phases0, -1);
        numCoefs = dryTaps / phases0 + 1;
        if (!hasPreM) numCoefs += numCoefs & 1;
        if ((numCoefs & 1) != 0 && (arbL & 1) != 0)
        {
            // Odd length and odd phase count: double the phases so the centre falls on a phase.
            phases <<= 1;
            arbL <<= 1;
            arbM *= 2;
        }
        int numTaps = numCoefs * phases - 1;
        var h = SoxrFilterDesign.DesignLowPass(fp, fs, fn, attArb, ref numTaps, phases, -1)!;
        var taps = new float[numTaps];
        for (int i = 0; i < numTaps; i++) taps[i] = (float)h[i];
        int step = checked((int)arbM);
        int g = TorchaudioKernel.Gcd(arbL, step);
        // With the doubled phases L and M share a factor 2; the stage then has only every other phase in use.
        return FromCentredFilterReduced(arbL, step, g, taps, (numTaps - 1) / 2);
    }

    private static PolyphaseFir FromCentredFilterReduced(int l, int m, int g, float[] taps, int centre)
    {
        if (g == 1) return PolyphaseFir.FromCentredFilter(l, m, taps, centre);
        // y[o] = Σ h[o·M − j·L] x[j] with a common factor g: only every g-th tap of h is ever used.
        int reducedL = l / g;
        var reduced = new List<float>();
        int first = centre % g;
        for (int i = first; i < taps.Length; i += g) reduced.Add(taps[i]);
        return PolyphaseFir.FromCentredFilter(reducedL, m / g, reduced.ToArray(), (centre - first) / g);
    }

    private static float[] HalfBandTaps(double[] coefs)
    {
        int n = coefs.Length;
        var taps = new float[4 * n - 1];
        int centre = 2 * n - 1;
        taps[centre] = .5f;
        for (int j = 0; j < n; j++)
        {
            taps[centre - (2 * j + 1)] = (float)coefs[j];
            taps[centre + (2 * j + 1)] = (float)coefs[j];
        }
        return taps;
    }
}

/// <summary>The stages for one conversion, in order, with a readable summary of them.</summary>
internal sealed record SoxrHqPlan(int SampleRateIn, int SampleRateOut, IReadOnlyList<IResamplingStage> Stages, string Description);
