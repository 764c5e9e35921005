using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AudioEmbed.Core.Audio.Info;
using AudioEmbed.Tests.FFmpeg;

namespace AudioEmbed.Tests.AudioInfo;

/// <summary>
/// Get-AudioFileInfo in a hosted PowerShell. The module's cmdlet assembly is imported directly, since the manifest's
/// export list is the lead's to extend.
/// </summary>
[Collection(FFmpegCollection.Name)]
public sealed class GetAudioFileInfoCommandTests : IDisposable
{
    private readonly Runspace _runspace;

    public GetAudioFileInfoCommandTests()
    {
        var dll = Path.Combine(SharedData.ModuleDir, "AudioEmbed.PowerShell.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"The module is not built at '{dll}'.");
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        Run($"Import-Module '{dll}' -ErrorAction Stop", out var errors);
        Assert.Empty(errors);
    }

    public void Dispose() => _runspace.Dispose();

    private List<AudioFileInfo> Run(string script, out List<ErrorRecord> errors)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        Collection<PSObject> output = ps.Invoke();
        errors = ps.Streams.Error.ToList();
        return output.Select(o => o.BaseObject).OfType<AudioFileInfo>().ToList();
    }

    [SkippableFact]
    public void Wildcards_literal_paths_and_pipeline_by_FullName()
    {
        var folder = Path.GetDirectoryName(SharedData.Require("audio", "TRWJAZW128F42760DD_test.mp3"))!;
        var infos = Run($"Get-AudioFileInfo -Path '{folder}/*.mp3'", out var errors);
        Assert.Empty(errors);
        Assert.Equal(2, infos.Count);
        Assert.Contains(infos, i => i.SampleRate == 22050 && i.Channels == 2 && i.Format == "MP3 (MPEG-2 Layer III)");

        var literal = Run($"Get-AudioFileInfo -LiteralPath '{folder}/TRWJAZW128F42760DD_test.mp3'", out errors);
        Assert.Empty(errors);
        Assert.Equal(660340L, Assert.Single(literal).Frames);

        var piped = Run($"[System.IO.DirectoryInfo]::new('{folder}').GetFiles('*.mp3') | Get-AudioFileInfo", out errors);
        Assert.Empty(errors);
        Assert.Equal(2, piped.Count);
    }

    [SkippableFact]
    public void Bad_files_are_non_terminating_errors_and_the_rest_go_on()
    {
        var png = SharedData.Require("fixtures", "corrupt", "png_named.mp3");
        var wav = SharedData.Require("fixtures", "wav", "pcm_s16_stereo_44100.wav");
        var infos = Run($"Get-AudioFileInfo -LiteralPath '{png}', '{wav}', '/no/such/file.wav'", out var errors);
        Assert.Equal("WAV PCM 16-bit", Assert.Single(infos).Format);
        Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith("AudioEmbed.AudioDecodeFailed") && e.Exception.Message.Contains("png_named.mp3"));
        Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith("AudioEmbed.PathNotFound"));
    }

    [SkippableFact]
    public void FFmpegPath_pointing_nowhere_gives_the_install_message_for_ogg_opus()
    {
        var ogg = AudioEmbed.Tests.Formats.CraftedOgg.OpusHeaderOnly();
        var infos = Run($"Get-AudioFileInfo -LiteralPath '{ogg}' -FFmpegPath '/nonexistent/ffmpeg'", out var errors);
        Assert.Empty(infos);
        var error = Assert.Single(errors);
        Assert.StartsWith("AudioEmbed.AudioDecodeFailed", error.FullyQualifiedErrorId);
        Assert.Contains("winget install Gyan.FFmpeg", error.Exception.Message);
    }

    [SkippableFact]
    public void Ogg_through_ffprobe_and_decoder_choice()
    {
        FFmpegTestSupport.RequireProbe();
        var ogg = SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg");
        var info = Assert.Single(Run($"Get-AudioFileInfo -LiteralPath '{ogg}' -Decoder FFmpeg", out var errors));
        Assert.Empty(errors);
        Assert.Equal("Ogg Vorbis", info.Format);
        Assert.Equal("FFmpeg", info.Decoder);
        var managed = Assert.Single(Run($"Get-AudioFileInfo -LiteralPath '{ogg}' -Decoder Managed", out errors));
        Assert.Empty(errors);
        Assert.Equal(("Ogg Vorbis", "Managed"), (managed.Format, managed.Decoder));
        Assert.Equal(info.Duration!.Value.TotalSeconds, managed.Duration!.Value.TotalSeconds, 5);
        Run($"Get-AudioFileInfo -LiteralPath '{AudioEmbed.Tests.Formats.CraftedOgg.OpusHeaderOnly()}' -Decoder Managed", out errors);
        Assert.Contains("Ogg Opus audio needs ffmpeg", Assert.Single(errors).Exception.Message);
    }
}
