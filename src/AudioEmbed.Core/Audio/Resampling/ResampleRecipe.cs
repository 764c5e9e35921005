namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// How a model family wants its mono audio brought to its rate: the algorithm its reference pipeline used, that
/// algorithm's version, the output length rule, and whether to run the bit-exact reference loop instead of the
/// faster equivalent. Each family declares its own; a request may override the choices a user can make
/// (<see cref="ResamplerOverrides"/>). Input already at <see cref="TargetRate"/> is passed through untouched.
/// </summary>
public sealed record ResampleRecipe(int TargetRate)
{
    public ResamplerKind Kind { get; init; } = ResamplerKind.Resampy;

    /// <summary>The resampy table generation (Kind Resampy).</summary>
    public ResampyVersion ResampyVersion { get; init; } = ResampyVersion.V0_4_2;

    /// <summary>
    /// The length rule for Kind Resampy. SoxrHq and Torchaudio always end at their upstream's own length (librosa's
    /// fix_length, torchaudio's ceil), so it is not applied to them.
    /// </summary>
    public OutputLength Length { get; init; } = OutputLength.Natural;

    /// <summary>Run the reference algorithm's own loop (bit-identical, slower) rather than its fast equivalent.</summary>
    public bool Exact { get; init; }

    /// <summary>What resampled audio at <paramref name="sourceRate"/> ("none" when it is already at the target rate): recorded on the embedding and in manifest.jsonl.</summary>
    public string Describe(int sourceRate) => sourceRate == TargetRate ? NotResampled : Name;

    /// <summary>
    /// The recipe's name: "soxr_hq", "torchaudio", "resampy-0.4.2" or "resampy-0.2.2" — what changes the samples.
    /// The resampy version is named only for Kind Resampy (the other kinds ignore it), and <see cref="Exact"/> never
    /// is: the exact loop and its fast equivalent give the same samples within 2e-6, far below what the models resolve.
    /// </summary>
    public string Name => Kind switch
    {
        ResamplerKind.SoxrHq => "soxr_hq",
        ResamplerKind.Torchaudio => "torchaudio",
        _ => "resampy-" + (ResampyVersion == ResampyVersion.V0_2_2 ? "0.2.2" : "0.4.2"),
    };

    /// <summary>Every <see cref="Name"/> a recipe can have (what a configuration folder's resampler suffix may be).</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "soxr_hq", "torchaudio", "resampy-0.4.2", "resampy-0.2.2" };

    /// <summary>The record of input that was already at the model's rate (never resampled).</summary>
    public const string NotResampled = "none";

    /// <summary>This recipe with what the user chose instead (null choices keep the family's).</summary>
    public ResampleRecipe With(ResamplerOverrides? overrides) => overrides is null ? this : this with
    {
        Kind = overrides.Kind ?? Kind,
        ResampyVersion = overrides.ResampyVersion ?? ResampyVersion,
        Exact = overrides.Exact ?? Exact,
    };
}

/// <summary>A user's resampling choices for one request (-Resampler, -ResampyVersion, -ExactResampling); null = the family's recipe.</summary>
public sealed record ResamplerOverrides
{
    public ResamplerKind? Kind { get; init; }
    public ResampyVersion? ResampyVersion { get; init; }
    public bool? Exact { get; init; }
}
