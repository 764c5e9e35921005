namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// How often each coding tool occurred in the frames decoded so far: lets tests prove a file really exercises the
/// path it is meant to (and a user see what a stream uses).
/// </summary>
public sealed class AacToolUsage
{
    public long Frames { get; internal set; }
    public long LongWindows { get; internal set; }
    public long ShortWindowFrames { get; internal set; }
    public long StartStopWindows { get; internal set; }
    public long KbdWindows { get; internal set; }
    public long MidSideBands { get; internal set; }
    public long IntensityBands { get; internal set; }
    public long NoiseBands { get; internal set; }
    public long TnsFilters { get; internal set; }
    public long Pulses { get; internal set; }
    public long EscapeBands { get; internal set; }

    public override string ToString() =>
        $"frames {Frames}, long {LongWindows}, short {ShortWindowFrames}, start/stop {StartStopWindows}, kbd {KbdWindows}, " +
        $"M/S bands {MidSideBands}, intensity bands {IntensityBands}, noise bands {NoiseBands}, TNS filters {TnsFilters}, pulses {Pulses}, escape bands {EscapeBands}";
}
