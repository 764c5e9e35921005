using System.Management.Automation;
using System.Runtime.InteropServices;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Runs at Import-Module, after the loader (AudioEmbed.Loader) has routed AudioEmbed.Core into the module's own
/// load context: binds ONNX Runtime to the native library shipped in this module's folder (runtimes/&lt;rid&gt;/native),
/// by absolute path, never by name.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public static string ModuleDirectory { get; } = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    public void OnImport()
    {
        string nativePath = NativeLibraryPath();
        if (!File.Exists(nativePath))
            throw new FileNotFoundException(
                $"AudioEmbed cannot start: ONNX Runtime's native library for {RuntimeId()} is missing at '{nativePath}'. " +
                "Reinstall or rebuild the module (./build.ps1) for this platform.", nativePath);
        AudioEmbed.Core.Onnx.OnnxNativeLibrary.Use(nativePath);
    }

    public static string RuntimeId()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}-{arch}";
    }

    public static string NativeLibraryPath()
    {
        string file = OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
        return Path.Combine(ModuleDirectory, "runtimes", RuntimeId(), "native", file);
    }
}
