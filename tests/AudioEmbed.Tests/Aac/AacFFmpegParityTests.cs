using AudioEmbed.Core.Audio.Aac;
using AudioEmbed.Tests.FFmpeg;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Aac;

/// <summary>
/// The managed AAC-LC decoder against ffmpeg's native float decoder, frame by frame (same count: both output the
/// encoder's priming frame), on files made by ffmpeg's AAC encoder: every sampling rate class, mono and stereo,
/// 32-256 kb/s, signals chosen to force each tool (short windows, M/S, intensity, PNS, TNS), and the real songs.
/// The goal is max |difference| 1e-4 of full scale; the assertion is ten times tighter (1e-5) because the decoders
/// agree to float rounding (measured at most 4.2e-7 over this matrix, PNS noise included: same generator).
/// </summary>
[Collection(FFmpegCollection.Name)]
public class AacFFmpegParityTests
{
    private const double MaxAbs = 1e-5;
    private readonly ITestOutputHelper _log;

    public AacFFmpegParityTests(ITestOutputHelper log) => _log = log;

    private const string Sweep = "aevalsrc=0.6*sin(2*PI*(60+{0}*t/4)*t)";
    private const string Music = "aevalsrc=0.3*sin(2*PI*220*t)*(1+0.5*sin(2*PI*3*t))+0.2*sin(2*PI*1320*t+sin(2*PI*5*t))|0.3*sin(2*PI*330*t)+0.15*sin(2*PI*2640*t)*sin(2*PI*0.5*t)";
    private const string Clicks = "aevalsrc=if(lt(mod(t\\,0.25)\\,0.002)\\,0.9\\,0.02*sin(2*PI*300*t))|if(lt(mod(t+0.1\\,0.3)\\,0.003)\\,0.8\\,0.01*sin(2*PI*700*t))";

    private static string Lavfi(string expr, int rate, double seconds) => $"-f lavfi -i \"{expr}:s={rate}:d={seconds}\"";

    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        // Every sampling rate class, mono and stereo (the sweep covers the whole band of each rate).
        foreach (int rate in new[] { 8000, 16000, 22050, 44100, 48000, 96000 })
        {
            string sweep = string.Format(Sweep, rate / 2 - 100);
            data.Add($"sweep-{rate}-mono", Lavfi(sweep, rate, 3) + " -ac 1", $"-b:a {(rate <= 16000 ? 32 : 96)}k", "");
            data.Add($"sweep-{rate}-stereo", Lavfi(sweep + "|0.4*sin(2*PI*1000*t)", rate, 3), $"-b:a {(rate <= 16000 ? 48 : 128)}k", "");
        }
        foreach (int kbps in new[] { 32, 64, 128, 256 })
            data.Add($"music-44100-{kbps}k", Lavfi(Music, 44100, 4), $"-b:a {kbps}k", "");
        data.Add("sine-44100-mono", Lavfi("aevalsrc=0.5*sin(2*PI*440*t)", 44100, 3), "-b:a 128k", "");
        data.Add("noise-pink-stereo-pns", "-f lavfi -i \"anoisesrc=d=4:c=pink:r=44100:a=0.3\" -ac 2", "-b:a 64k -aac_pns 1", "pns");
        data.Add("noise-white-mono-pns", "-f lavfi -i \"anoisesrc=d=3:c=white:r=22050:a=0.2\"", "-b:a 32k -aac_pns 1", "pns");
        data.Add("clicks-short-windows", Lavfi(Clicks, 44100, 4), "-b:a 128k", "short");
        data.Add("sweep-tns", Lavfi(string.Format(Sweep, 20000), 44100, 4) + " -ac 1", "-b:a 96k -aac_tns 1 -aac_coder twoloop", "tns");
        data.Add("clicks-48000", Lavfi(Clicks, 48000, 4), "-b:a 96k", "short");
        data.Add("music-ms-forced", Lavfi(Music, 44100, 4), "-b:a 96k -aac_ms 1", "ms");
        data.Add("music-intensity", Lavfi(Music, 44100, 4), "-b:a 48k -aac_is 1", "is");
        data.Add("music-fast-coder", Lavfi(Music, 32000, 3), "-b:a 64k -aac_coder fast", "");
        data.Add("music-anmr-coder", Lavfi(Music, 24000, 2), "-b:a 64k -aac_coder anmr -strict -2", "");
        data.Add("music-no-tools", Lavfi(Music, 44100, 3), "-b:a 128k -aac_pns 0 -aac_is 0 -aac_tns 0 -aac_ms 0", "");
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Generated_files_match_ffmpeg(string name, string input, string encoder, string tool)
    {
        var (aac, reference) = AacTestSupport.Make(name, input, encoder);
        AssertMatches(name, aac, reference, tool);
    }

    public static TheoryData<string, string> Songs() => new()
    {
        { "joram-moments_of_clarity-08-solipsism-59-88.mp3", "-b:a 128k" },
        { "TRWJAZW128F42760DD_test.mp3", "-b:a 256k" },
        { "Kevin_MacLeod_-_Vibe_Ace.ogg", "-b:a 64k" },
        { "admiralbob77_-_Choice_-_Drum-bass.ogg", "-b:a 128k" },
        { "sorohanro_-_solo-trumpet-06.ogg", "-b:a 32k -ac 1" },
        { "TRWJAZW128F42760DD_test.mp3", "-b:a 160k -ar 44100" },
        { "Kevin_MacLeod_-_Vibe_Ace.ogg", "-b:a 96k -ar 48000 -ac 2" },
    };

    [SkippableTheory]
    [MemberData(nameof(Songs))]
    public void Real_songs_transcoded_match_ffmpeg(string song, string encoder)
    {
        var path = SharedData.Require("audio", song);
        var name = "song-" + Path.GetFileNameWithoutExtension(song) + encoder.Replace(" ", "").Replace(":", "");
        var (aac, reference) = AacTestSupport.Make(name, $"-t 30 -i \"{path}\"", encoder);
        AssertMatches(name, aac, reference, "");
    }

    private void AssertMatches(string name, string aac, float[] reference, string tool)
    {
        var (ours, decoder) = AacTestSupport.DecodeManaged(aac);
        var usage = decoder.ToolUsage;
        double maxAbs = Tolerance.MaxAbsDiff(reference, ours);
        _log.WriteLine($"{name}: {decoder.SampleRate} Hz x {decoder.Channels}, {usage.Frames} frames, max |diff| {maxAbs:E2}; {usage}");
        Assert.Equal(reference.Length, ours.Length);
        Assert.True(maxAbs <= MaxAbs, $"{name}: max |diff| {maxAbs:E3} > {MaxAbs:E1}");
        Assert.False(decoder.SawSbrPayload);
        switch (tool)
        {
            case "pns": Assert.True(usage.NoiseBands > 0, $"{name} was meant to use PNS: {usage}"); break;
            case "short": Assert.True(usage.ShortWindowFrames > 0, $"{name} was meant to use short windows: {usage}"); break;
            case "tns": Assert.True(usage.TnsFilters > 0, $"{name} was meant to use TNS: {usage}"); break;
            case "ms": Assert.True(usage.MidSideBands > 0, $"{name} was meant to use M/S: {usage}"); break;
            case "is": Assert.True(usage.IntensityBands > 0, $"{name} was meant to use intensity stereo: {usage}"); break;
        }
    }
}
