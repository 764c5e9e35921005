using System.Management.Automation;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Info;

namespace AudioEmbed.PowerShell;

/// <summary>Reads format, rate, channels, duration and bitrate of audio files from their headers, without decoding them.</summary>
[Cmdlet(VerbsCommon.Get, "AudioFileInfo", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AudioFileInfo))]
public sealed class GetAudioFileInfoCommand : AudioFileCmdlet
{

    /// <summary>Auto: managed header parsing for WAV/AIFF/FLAC/MP3/Ogg Vorbis/M4A ALAC and AAC-LC/raw AAC-LC (ADTS), ffprobe for the rest. FFmpeg: ffprobe for all. Managed: never ffprobe.</summary>
    [Parameter]
    public DecoderPreference Decoder { get; set; } = DecoderPreference.Auto;

    /// <summary>ffmpeg's executable or folder (ffprobe is looked for beside it); default: $env:AUDIOEMBED_FFMPEG, then PATH.</summary>
    [Parameter]
    public string? FFmpegPath { get; set; }

    private readonly CancellationTokenSource _cancel = new();
    private DecoderOptions _options = DecoderOptions.Default;

    protected override void BeginProcessing()
    {
        var ffmpeg = string.IsNullOrWhiteSpace(FFmpegPath) ? null : PathResolution.ResolveFolder(this, FFmpegPath);
        _options = new DecoderOptions(Decoder, ffmpeg);
    }

    protected override void ProcessRecord()
    {
        var files = InputFiles();
        foreach (var file in files)
        {
            if (_cancel.IsCancellationRequested) return;
            try
            {
                WriteObject(AudioFileInfo.Read(file, _options, _cancel.Token));
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                return;
            }
            catch (AudioDecodeException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.AudioDecodeFailed, ErrorCategory.InvalidData, file));
            }
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
