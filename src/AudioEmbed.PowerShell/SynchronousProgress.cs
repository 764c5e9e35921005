namespace AudioEmbed.PowerShell;

/// <summary>
/// IProgress that calls back on the reporting thread. Progress&lt;T&gt; would post to a thread pool thread,
/// and a cmdlet may only write progress from the pipeline thread its work runs on.
/// </summary>
internal sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> _report;
    public SynchronousProgress(Action<T> report) => _report = report;
    public void Report(T value) => _report(value);
}
