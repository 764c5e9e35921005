namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// The upstream resamplers as streaming sources over a mono source (wrap multi-channel audio in
/// <see cref="MonoDownmixSource"/> first). Input already at the target rate passes through untouched.
/// <list type="bullet">
/// <item><see cref="SoxrHq"/>: libsoxr HQ as librosa ≥ 0.10 calls it (<c>res_type='soxr_hq'</c>), with librosa's
/// <c>fix_length</c>: EnCodecMAE's and the Python pipeline's loader.</item>
/// <item><see cref="Torchaudio"/>: <c>torchaudio.functional.resample</c> with its defaults: the MERT model card's.</item>
/// </list>
/// resampy kaiser_best (MusiCNN's librosa 0.8.1) is <see cref="FastResampledSource"/> / <see cref="ResampledSource"/>.
/// Every algorithm is one <see cref="ResamplerKind"/> entry in the table below (<see cref="Create"/>): the recipe of a
/// model family names the kind its upstream uses.
/// </summary>
public static class Resamplers
{
    private static readonly Dictionary<ResamplerKind, Func<IAudioSource, ResampleRecipe, IAudioSource>> ByKind = new()
    {
        [ResamplerKind.Resampy] = ResampyKaiserBest,
        // Both end at upstream's own length (soxr: librosa's fix_length; torchaudio: its ceil): the recipe's Length is not applied again.
        [ResamplerKind.SoxrHq] = (mono, recipe) => SoxrHq(mono, recipe.TargetRate, leaveOpen: true),
        [ResamplerKind.Torchaudio] = (mono, recipe) => Torchaudio(mono, recipe.TargetRate, leaveOpen: true),
    };

    /// <summary>
    /// <paramref name="mono"/> at the recipe's rate (left open when disposed: the chain's owner closes the source).
    /// A source already at that rate is returned as it is.
    /// </summary>
    public static IAudioSource Create(IAudioSource mono, ResampleRecipe recipe)
    {
        if (mono.Channels != 1) throw new ArgumentException($"The resampler takes mono input; this source has {mono.Channels} channels (call ToMono() first).", nameof(mono));
        if (mono.SampleRate == recipe.TargetRate) return mono;
        return ByKind.TryGetValue(recipe.Kind, out var create) ? create(mono, recipe)
            : throw new NotSupportedException($"The resampler {recipe.Kind} is not available in this version of AudioEmbed.");
    }

    /// <summary>resampy kaiser_best: the polyphase equivalent (within 2e-6, ~8× faster) unless the recipe asks for resampy's exact loop.</summary>
    private static IAudioSource ResampyKaiserBest(IAudioSource mono, ResampleRecipe recipe)
    {
        bool fixLength = recipe.Length == OutputLength.LibrosaFixLength;
        return (IAudioSource?)(recipe.Exact ? null : FastResampledSource.TryCreate(mono, recipe.TargetRate, ResampyFilter.KaiserBest, recipe.ResampyVersion, fixLength, leaveOpen: true))
            ?? new ResampledSource(mono, recipe.TargetRate, ResampyFilter.KaiserBest, recipe.ResampyVersion, fixLength, leaveOpen: true);
    }

    /// <summary>
    /// librosa.resample(x, orig_sr=in, target_sr=out, res_type='soxr_hq'): libsoxr HQ (linear phase, float32), whose
    /// output holds round(n · out / in) samples, then <c>fix_length</c> to ceil(n · (out / in)) — librosa takes the
    /// ratio in float64 first, so an exact multiple can round up by one (a trailing zero), as it does upstream.
    /// </summary>
    public static IAudioSource SoxrHq(IAudioSource source, int sampleRateOut, bool leaveOpen = false)
    {
        if (!NeedsResampling(source, sampleRateOut)) return leaveOpen ? new CountingSource(source) : source;
        int rateIn = source.SampleRate;
        var plan = SoxrHqDesign.Get(rateIn, sampleRateOut);
        var counted = new CountingSource(source);
        IAudioSource chain = counted;
        foreach (var stage in plan.Stages) chain = stage.Open(chain, sampleRateOut);
        double ioRatio = (double)rateIn / sampleRateOut;
        return new ExactLengthSource(chain, counted, leaveOpen ? NoDispose.Instance : source,
            kept: n => (long)(n / ioRatio + .5),
            total: n => LibrosaFixedLength(n, rateIn, sampleRateOut));
    }

    /// <summary>
    /// torchaudio.functional.resample(x, in, out) with its defaults (lowpass_filter_width 6, rolloff 0.99,
    /// sinc_interp_hann): ceil(out · n / in) samples.
    /// </summary>
    public static IAudioSource Torchaudio(IAudioSource source, int sampleRateOut, bool leaveOpen = false)
    {
        if (!NeedsResampling(source, sampleRateOut)) return leaveOpen ? new CountingSource(source) : source;
        int rateIn = source.SampleRate;
        var counted = new CountingSource(source);
        var chain = new PolyphaseFirSource(counted, sampleRateOut, TorchaudioKernel.Get(rateIn, sampleRateOut));
        return new ExactLengthSource(chain, counted, leaveOpen ? NoDispose.Instance : source,
            kept: n => TorchaudioKernel.OutputLength(n, rateIn, sampleRateOut),
            total: n => TorchaudioKernel.OutputLength(n, rateIn, sampleRateOut));
    }

    /// <summary>One-shot form of <see cref="SoxrHq"/> for a whole signal.</summary>
    public static float[] SoxrHq(float[] x, int sampleRateIn, int sampleRateOut) =>
        ReadAll(SoxrHq(new ArraySource(x, sampleRateIn), sampleRateOut));

    /// <summary>One-shot form of <see cref="Torchaudio"/> for a whole signal.</summary>
    public static float[] Torchaudio(float[] x, int sampleRateIn, int sampleRateOut) =>
        ReadAll(Torchaudio(new ArraySource(x, sampleRateIn), sampleRateOut));

    /// <summary>librosa ≥ 0.10's target length: int(np.ceil(n * (float(out) / in))).</summary>
    public static long LibrosaFixedLength(long inputLength, int sampleRateIn, int sampleRateOut) =>
        (long)Math.Ceiling(inputLength * ((double)sampleRateOut / sampleRateIn));

    /// <summary>A short description of the stages libsoxr HQ uses for this conversion (for docs and diagnostics).</summary>
    public static string DescribeSoxrHq(int sampleRateIn, int sampleRateOut) => SoxrHqDesign.Get(sampleRateIn, sampleRateOut).Description;

    private static bool NeedsResampling(IAudioSource source, int sampleRateOut)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Channels != 1)
            throw new ArgumentException($"The resampler takes mono input; this source has {source.Channels} channels (wrap it in {nameof(MonoDownmixSource)}).", nameof(source));
        Resampy.ValidateRates(source.SampleRate, sampleRateOut);
        return source.SampleRate != sampleRateOut;
    }

    private static float[] ReadAll(IAudioSource source)
    {
        using (source) return source.ReadAll();
    }

    private sealed class NoDispose : IDisposable
    {
        public static readonly NoDispose Instance = new();
        public void Dispose() { }
    }

    private sealed class ArraySource(float[] samples, int sampleRate) : IAudioSource
    {
        private int _position;
        public int SampleRate => sampleRate;
        public int Channels => 1;
        public long? TotalFrames => samples.Length;

        public int Read(Span<float> interleaved)
        {
            int n = Math.Min(interleaved.Length, samples.Length - _position);
            samples.AsSpan(_position, n).CopyTo(interleaved);
            _position += n;
            return n;
        }

        public void Dispose() { }
    }
}
