using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// A separate PowerShell process (../shared/tools/pslite), for what an in-process host cannot show: a kill -9, or a
/// process whose default load context does not already hold the module's assemblies (the test host's does).
/// </summary>
internal static class PsliteHost
{
    private static readonly ConcurrentDictionary<int, StringBuilder> Output = new();
    private static readonly ConcurrentDictionary<int, StringBuilder> Errors = new();

    /// <summary>The launcher script; skips the test with the reason when ../shared or bash is unavailable.</summary>
    public static string Require()
    {
        var run = SharedData.Require("tools", "pslite", "run");
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "uses bash to start the pslite host");
        return run;
    }

    /// <summary>Starts the script; both pipes are drained as the child writes, so a chatty child never blocks.</summary>
    public static Process Start(string script, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Require());
        psi.ArgumentList.Add("-Command");
        psi.ArgumentList.Add(script);
        if (environment is not null)
            foreach (var (name, value) in environment) psi.Environment[name] = value;
        var p = Process.Start(psi)!;
        var output = new StringBuilder();
        var errors = new StringBuilder();
        Output[p.Id] = output;
        Errors[p.Id] = errors;
        p.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs the script to the end (or fails the test after <paramref name="timeout"/>).</summary>
    public static (int ExitCode, string Output, string Errors) Run(string script, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        using var p = Start(script, environment);
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"the pslite host did not finish within {timeout}: {ErrorsOf(p)}");
        }
        p.WaitForExit(); // flushes the asynchronous readers
        return (p.ExitCode, OutputOf(p), ErrorsOf(p));
    }

    public static string OutputOf(Process p) { var b = Output[p.Id]; lock (b) return b.ToString(); }

    public static string ErrorsOf(Process p) { var b = Errors[p.Id]; lock (b) return b.ToString(); }
}
