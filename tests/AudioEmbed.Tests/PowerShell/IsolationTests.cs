using System.Reflection;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// Dependency isolation: another module loaded an old Google.Protobuf (3.10.1) into the session first; ours must
/// still import, convert a checkpoint (the ONNX writer needs Protobuf 3.3x) and embed, and the other module's copy
/// must keep working. Guards against the module's dependencies loading into PowerShell's default context, where the
/// old copy wins and our conversion fails with "manifest definition does not match". Runs in a separate PowerShell
/// process: the test host's default context already holds Core and Protobuf, so it cannot show this.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class IsolationTests
{
    [SkippableFact]
    public void OldProtobufLoadedFirst_ModuleStillConvertsAndEmbeds_AndTheOldCopyStillWorks()
    {
        ChildPwsh.Require();
        var checkpoint = SharedData.Require("models", "musicnn", "MTT_musicnn.h5");
        var song = SharedData.Require("audio", "TRWJAZW128F42760DD_test.mp3");
        var oldProtobuf = OldProtobufPath();
        Skip.IfNot(File.Exists(oldProtobuf), $"Google.Protobuf 3.10.1 is not in the NuGet cache at {oldProtobuf} (restore the test project)");

        // A store of its own: the MusiCNN graph must be converted (and so serialised with Protobuf) in the child.
        var home = TestStore.TempDir("isolation-home");
        var module = Path.Combine(SharedData.ModuleDir, "AudioEmbed.psd1");
        var script = $$"""
            $old = [System.Reflection.Assembly]::LoadFrom('{{oldProtobuf}}')
            Import-Module '{{module}}'
            Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath '{{checkpoint}}' | Out-Null
            $e = Get-AudioEmbedding -LiteralPath '{{song}}' -Model MusiCNN -Variant MTT_musicnn
            'dims=' + $e.Vector.Length
            $duration = $old.GetType('Google.Protobuf.WellKnownTypes.Duration')::FromTimeSpan([TimeSpan]::FromSeconds(3))
            'old-bytes=' + $old.GetType('Google.Protobuf.MessageExtensions')::ToByteArray($duration).Length
            [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'Google.Protobuf', 'AudioEmbed.Core' } |
                ForEach-Object { 'loaded=' + $_.GetName().Name + '|' + $_.GetName().Version + '|' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
            """;
        var env = new Dictionary<string, string> { ["AUDIOEMBED_HOME"] = home, ["AUDIOEMBED_OFFLINE"] = "1" };

        var (exit, output, errors) = ChildPwsh.Run(script, TimeSpan.FromMinutes(4), env);

        Assert.True(exit == 0, $"the session with an old Protobuf failed: {errors}");
        Assert.Contains("dims=753", output);
        Assert.Contains("old-bytes=2", output); // Duration{seconds=3}: tag byte + varint: the old copy still serialises
        Assert.Contains("loaded=Google.Protobuf|3.10.1.0|Default", output);
        Assert.Matches(@"loaded=Google\.Protobuf\|3\.(?!10\.)\d+\.\d+\.\d+\|AudioEmbed", output);
        Assert.Contains("loaded=AudioEmbed.Core|", output);
        Assert.DoesNotContain("loaded=AudioEmbed.Core|0.1.0.0|Default", output);
    }

    private static string OldProtobufPath()
    {
        var root = typeof(IsolationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "NuGetPackageRoot").Value!;
        return Path.Combine(root, "google.protobuf", "3.10.1", "lib", "netstandard2.0", "Google.Protobuf.dll");
    }
}
