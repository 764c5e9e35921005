using AudioEmbed.Core.Audio.FFmpeg;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>The quick start on the other input formats: FLAC (managed), Ogg (ffmpeg), and the choice of decoder.</summary>
[Collection(PowerShellCollection.Name)]
public class InputFormatTests
{
    [SkippableFact]
    public void Flac_WorksEndToEnd_AndEqualsTheWavOfTheSameSamples()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var flac = SharedData.Require("fixtures", "flac", "subset-01-blocksize_4096.flac");
        // The same samples as a WAV: the FLAC decode, anchored to the bit-exact reference of its first 16384 frames.
        var reference = SharedData.Npy("fixtures", "flac", "subset-01-blocksize_4096.npy");
        float[] samples;
        int rate, channels;
        using (var decoder = AudioEmbed.Core.Audio.Flac.FlacDecoder.Open(flac))
        {
            (rate, channels) = (decoder.SampleRate, decoder.Channels);
            samples = AudioEmbed.Core.Audio.AudioSourceExtensions.ReadAll(decoder);
        }
        Assert.Equal(reference.Values.Select(v => (float)(v / 32768.0)), samples.Take(reference.Values.Length));
        var wav = Path.Combine(TestStore.TempDir("audio"), "same.wav");
        TestAudio.WriteFloatWav(wav, samples, rate, channels);
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{flac}', '{wav}' -ThrottleLimit 1").ThrowIfErrors().All<AudioEmbedding>().ToList();
        Assert.Equal(2, r.Count);
        Assert.Equal(r[1].Vector, r[0].Vector);
    }

    [SkippableFact]
    public void OggOpus_GoesThroughFFmpeg_AndManagedOnlySaysItNeedsFFmpeg()
    {
        Skip.If(FFmpegLocator.Find() is null, "ffmpeg is not installed (CI installs it with apt-get)");
        TestStore.WithMusicnn("MTT_musicnn");
        // Ogg Vorbis decodes in-process now (Formats/FormatsCmdletTests); Opus is the Ogg codec that still needs ffmpeg.
        var ogg = AudioEmbed.Tests.Formats.FormatTestFiles.Make("trumpet.opus.ogg", "-i", SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg"), "-c:a", "libopus", "-f", "ogg");
        using var host = new ModuleHost();
        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{ogg}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal((753, 48000), (e.Dimension, e.SampleRate));

        var managed = host.Run($"Get-AudioEmbedding -LiteralPath '{ogg}' -Decoder Managed");
        var error = Assert.Single(managed.Errors);
        Assert.StartsWith("AudioEmbed.AudioDecodeFailed", error.FullyQualifiedErrorId);
        Assert.Contains("Ogg Opus audio needs ffmpeg", error.Exception.Message);
    }
}
