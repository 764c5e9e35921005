using System.Diagnostics;
using System.Management.Automation;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Info;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Progress of a Get-AudioEmbedding run in audio time: how much has been embedded and how fast (× realtime);
/// with a planned total (files whose headers were read up front), also percent and time remaining.
/// </summary>
internal sealed class RunProgress
{
    private const string Activity = "Computing audio embeddings";
    private readonly Stopwatch _clock = new();
    private double _doneSeconds, _plannedSeconds;

    /// <summary>Adds the header durations of files about to be processed (managed readers only: no process per file).</summary>
    public void Plan(IEnumerable<string> files, DecoderOptions decoder)
    {
        foreach (var file in files)
        {
            try
            {
                if (AudioFileInfo.Read(file, new DecoderOptions(DecoderPreference.Managed, decoder.FFmpegPath)).Duration is TimeSpan d) _plannedSeconds += d.TotalSeconds;
            }
            catch (AudioDecodeException) { /* not decodable by header: its error comes when it is processed */ }
            catch (IOException) { }
        }
    }

    public void Completed(TimeSpan duration) => _doneSeconds += duration.TotalSeconds;

    public ProgressRecord Record(int done, int failed, string current)
    {
        if (!_clock.IsRunning) _clock.Start();
        double speed = _clock.Elapsed.TotalSeconds > 0 ? _doneSeconds / _clock.Elapsed.TotalSeconds : 0;
        var status = $"{done} done, {failed} failed, {_doneSeconds / 60:0.0} min of audio" + (speed > 0 ? $" at {speed:0}× realtime" : "") + $": {Path.GetFileName(current)}";
        var record = new ProgressRecord(1, Activity, status);
        if (_plannedSeconds > 0)
        {
            record.PercentComplete = (int)Math.Clamp(100 * _doneSeconds / _plannedSeconds, 0, 100);
            if (speed > 0) record.SecondsRemaining = (int)Math.Max(0, (_plannedSeconds - _doneSeconds) / speed);
        }
        return record;
    }

    public ProgressRecord Done() => new(1, Activity, "Done") { RecordType = ProgressRecordType.Completed };
}
