using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Onnx;

/// <summary>
/// Binds ONNX Runtime's managed assembly to one native library file, by absolute path. Windows 11 ships an older
/// onnxruntime.dll in System32 and a copy on PATH or LD_LIBRARY_PATH could be any version, so the library is
/// never looked up by name. Lives in Core (not in the cmdlet assembly) so that the cmdlet assembly references no
/// third-party assembly and the module's dependencies can load in a context of their own.
/// </summary>
public static class OnnxNativeLibrary
{
    private static readonly object Gate = new();
    private static string? _boundPath;

    /// <summary>The path bound by <see cref="Use"/>, or null when ONNX Runtime resolves the library itself.</summary>
    public static string? BoundPath { get { lock (Gate) return _boundPath; } }

    /// <summary>Makes every P/Invoke of ONNX Runtime's managed assembly load <paramref name="nativePath"/>. Idempotent.</summary>
    public static void Use(string nativePath)
    {
        lock (Gate)
        {
            if (_boundPath is not null) return; // a second runspace importing the module in the same process
            if (!File.Exists(nativePath))
                throw new FileNotFoundException(
                    $"ONNX Runtime's native library is missing at '{nativePath}'. Reinstall or rebuild the module (./build.ps1) for this platform.",
                    nativePath);
            // ONNX Runtime registers a resolver of its own on first use; ours must win, so turn its off first.
            OrtEnv.DisableDllImportResolver = true;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(InferenceSession).Assembly, (name, _, _) =>
                    name is "onnxruntime" or "libonnxruntime" or "onnxruntime.dll" ? NativeLibrary.Load(nativePath) : IntPtr.Zero);
            }
            catch (InvalidOperationException)
            {
                // ONNX Runtime was already used by this copy of its managed assembly before the import (a host that
                // ships it, or the test host): its library is loaded and bound, nothing is left to redirect.
            }
            _boundPath = nativePath;
        }
    }
}
