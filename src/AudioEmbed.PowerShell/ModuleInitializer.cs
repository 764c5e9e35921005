using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Runs at Import-Module. ONNX Runtime's native library is loaded by absolute path from this module's
/// own folder (runtimes/&lt;rid&gt;/native), never by name: Windows 11 ships an older onnxruntime.dll in
/// System32, and a copy on PATH or LD_LIBRARY_PATH could be any version.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly object Gate = new();
    private static bool _resolverSet;

    public static string ModuleDirectory { get; } = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    public void OnImport()
    {
        lock (Gate)
        {
            if (_resolverSet) return; // a second runspace importing the module in the same process
            string nativePath = NativeLibraryPath();
            if (!File.Exists(nativePath))
                throw new FileNotFoundException(
                    $"AudioEmbed cannot start: ONNX Runtime's native library for {RuntimeId()} is missing at '{nativePath}'. " +
                    "Reinstall or rebuild the module (./build.ps1) for this platform.", nativePath);
            // ONNX Runtime registers a resolver of its own on first use; ours must win, so turn its off first.
            Microsoft.ML.OnnxRuntime.OrtEnv.DisableDllImportResolver = true;
            var ortAssembly = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly;
            try
            {
                NativeLibrary.SetDllImportResolver(ortAssembly, (name, assembly, searchPath) =>
                    name is "onnxruntime" or "libonnxruntime" or "onnxruntime.dll" ? NativeLibrary.Load(nativePath) : IntPtr.Zero);
            }
            catch (InvalidOperationException)
            {
                // ONNX Runtime was already used in this process before the import (by a host that ships it, or
                // another copy of this module), so its library is loaded and bound: nothing left to redirect.
            }
            _resolverSet = true;
        }
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
