using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Models.MusiCNN;

namespace AudioEmbed.Bench;

/// <summary>Preprocessing alone, in x realtime on one core: downmix + resample 44.1 kHz stereo → 16 kHz, and the MusiCNN log-mel patches.</summary>
internal static class DspBench
{
    private static void Drain(IAudioSource source)
    {
        using (source)
        {
            var block = new float[16384];
            while (source.Read(block) > 0) { }
        }
    }

    public static void Run(Report report)
    {
        const double Seconds = 60;
        var stereo = Signals.Stereo(44100, Seconds);
        float[] at16k = Array.Empty<float>();
        var t = Report.Best(3, () => at16k = Resampy.ResampleFixLength(Downmix.ToMono(stereo, 2), 44100, 16000, ResampyFilter.KaiserBest));
        report.Add("downmix+resample 44.1k→16k, exact", $"{Seconds / t.TotalSeconds:0}× realtime", "resampy kaiser_best 0.4.2, bit-identical loop, one core");
        var mono = Downmix.ToMono(stereo, 2);
        var fast = Report.Best(3, () => Drain(FastResampledSource.TryCreate(new ArraySource(mono, 44100), 16000, ResampyFilter.KaiserBest, ResampyVersion.V0_4_2, fixLength: true)!));
        report.Add("resample 44.1k→16k, polyphase", $"{Seconds / fast.TotalSeconds:0}× realtime", $"within 2e-6 of resampy; {t.TotalSeconds / fast.TotalSeconds:0.0}× the exact loop (which includes the downmix)");
        t = Report.Best(3, () => MusicnnPatcher.FromWaveform(at16k));
        report.Add("MusiCNN log-mel patches", $"{Seconds / t.TotalSeconds:0}× realtime", "one core");
    }
}
