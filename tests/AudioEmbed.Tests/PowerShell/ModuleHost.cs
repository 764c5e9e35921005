using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// Runs scripts against the built module (out/AudioEmbed) in a real PowerShell 7 engine hosted in this
/// process, the way a user's pwsh would: Import-Module by manifest path, then pipelines of our cmdlets.
/// The runspace has the engine's core cmdlets only (no Get-ChildItem/Select-Object): scripts use .NET calls.
/// </summary>
public sealed class ModuleHost : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleHost()
    {
        var manifest = Path.Combine(SharedData.ModuleDir, "AudioEmbed.psd1");
        if (!File.Exists(manifest))
            throw new InvalidOperationException($"The module is not built at '{manifest}': run 'dotnet build' at the repository root first.");
        var iss = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
        Run($"Import-Module '{manifest}' -ErrorAction Stop").ThrowIfErrors();
    }

    public ScriptResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables != null)
            foreach (var (name, value) in variables) _runspace.SessionStateProxy.SetVariable(name, value);
        ps.AddScript(script);
        Collection<PSObject> output;
        Exception? terminating = null;
        try { output = ps.Invoke(); }
        catch (RuntimeException ex) { output = new Collection<PSObject>(); terminating = ex; }
        return new ScriptResult(output.ToList(), ps.Streams.Error.ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Progress.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(), terminating,
            ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? "").ToList());
    }

    public void Dispose() => _runspace.Dispose();
}

public sealed record ScriptResult(List<PSObject> Output, List<ErrorRecord> Errors, List<string> Verbose, List<ProgressRecord> Progress, List<string> Warnings, Exception? Terminating, List<string> Information)
{
    public ScriptResult ThrowIfErrors()
    {
        if (Terminating != null) throw new Xunit.Sdk.XunitException("Script failed: " + Terminating.Message);
        if (Errors.Count > 0) throw new Xunit.Sdk.XunitException("Script wrote errors: " + string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return this;
    }

    public T Single<T>() => (T)Output.Single().BaseObject;

    public IEnumerable<T> All<T>() => Output.Select(o => (T)o.BaseObject);
}
