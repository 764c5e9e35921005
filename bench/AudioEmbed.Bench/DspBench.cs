using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Models.MusiCNN;

namespace AudioEmbed.Bench;

/// <summary>Preprocessing alone, in x realtime on one core: downmix + resample 44.1 kHz stereo → 16 kHz, and the MusiCNN log-mel patches.</summary>
internal static class DspBench
{
    public static void Run(Report report)
    {
        const double Seconds = 60;
        var stereo = Signals.Stereo(44100, Seconds);
        float[] at16k = Array.Empty<float>();
        var t = Report.Best(3, () => at16k = Resampy.ResampleFixLength(Downmix.ToMono(stereo, 2), 44100, 16000, ResampyFilter.KaiserBest));
        report.Add("downmix+resample 44.1k→16k", $"{Seconds / t.TotalSeconds:0}× realtime", "resampy kaiser_best 0.4.2, one core");
        t = Report.Best(3, () => MusicnnPatcher.FromWaveform(at16k));
        report.Add("MusiCNN log-mel patches", $"{Seconds / t.TotalSeconds:0}× realtime", "one core");
    }
}
