using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// A separate PowerShell process, for what an in-process host cannot show: a kill -9, or a process whose default load
/// context does not already hold the module's assemblies (the test host's does). Real pwsh: the PowerShell .NET tool of
/// .config/dotnet-tools.json once `dotnet tool restore` has put it in the NuGet packages folder (run as
/// `dotnet pwsh.dll`, so the process killed is pwsh itself); else ../shared/tools/pslite, a small PowerShell 7 host.
/// </summary>
internal static class ChildPwsh
{
    private static readonly ConcurrentDictionary<int, StringBuilder> Output = new();
    private static readonly ConcurrentDictionary<int, StringBuilder> Errors = new();

    /// <summary>The command line that starts a child PowerShell; skips the test with the reason when there is none.</summary>
    public static string[] Require()
    {
        var pwsh = ToolPwshDll();
        if (pwsh is not null) return new[] { "dotnet", pwsh, "-NoProfile", "-NonInteractive" };
        var run = SharedData.Require("tools", "pslite", "run");
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "no restored PowerShell .NET tool ('dotnet tool restore'), and pslite needs bash");
        return new[] { "bash", run };
    }

    // <NuGet packages>/powershell/<version of .config/dotnet-tools.json>/tools/<tfm>/any/<unix|win>/pwsh.dll, when restored.
    private static string? ToolPwshDll()
    {
        var manifest = Path.Combine(SharedData.RepoRoot, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest)) return null;
        var version = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(manifest), "\"powershell\"\\s*:\\s*\\{\\s*\"version\"\\s*:\\s*\"([^\"]+)\"");
        if (!version.Success) return null;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages)) packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = Path.Combine(packages, "powershell", version.Groups[1].Value, "tools");
        if (!Directory.Exists(tools)) return null;
        var os = OperatingSystem.IsWindows() ? "win" : "unix";
        return Directory.EnumerateFiles(tools, "pwsh.dll", SearchOption.AllDirectories)
            .FirstOrDefault(f => Path.GetFileName(Path.GetDirectoryName(f)) == os);
    }

    /// <summary>Starts the script; both pipes are drained as the child writes, so a chatty child never blocks.</summary>
    public static Process Start(string script, IDictionary<string, string>? environment = null)
    {
        var command = Require();
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1)) psi.ArgumentList.Add(argument);
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
            Assert.Fail($"the child PowerShell did not finish within {timeout}: {ErrorsOf(p)}");
        }
        p.WaitForExit(); // flushes the asynchronous readers
        return (p.ExitCode, OutputOf(p), ErrorsOf(p));
    }

    public static string OutputOf(Process p) { var b = Output[p.Id]; lock (b) return b.ToString(); }

    public static string ErrorsOf(Process p) { var b = Errors[p.Id]; lock (b) return b.ToString(); }
}
