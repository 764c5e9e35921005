using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace AudioEmbed.Loader;

/// <summary>
/// Runs when PowerShell imports this nested module, before it imports the cmdlet assembly: from then on, a request
/// of the default context for AudioEmbed.Core that nothing on the host's own path satisfies is answered from the
/// module's load context, where Core's references (ONNX Runtime, Protobuf, PureHDF, Tensors) then resolve too.
/// A host that already carries Core (the in-process test host) keeps its copy: the event only fires on a miss.
/// </summary>
public sealed class LoaderInitializer : IModuleAssemblyInitializer
{
    private const string CoreAssemblyName = "AudioEmbed.Core";
    private static readonly object Gate = new();
    private static ModuleLoadContext? _context;

    /// <summary>The module's load context once the module has been imported.</summary>
    public static AssemblyLoadContext? Context { get { lock (Gate) return _context; } }

    public void OnImport()
    {
        lock (Gate)
        {
            if (_context is not null) return; // another runspace of this process imported the module already
            string moduleDirectory = Path.GetDirectoryName(typeof(LoaderInitializer).Assembly.Location)!;
            _context = new ModuleLoadContext(Path.Combine(moduleDirectory, ModuleLoadContext.DependencyFolderName));
            AssemblyLoadContext.Default.Resolving += ResolveCore;
        }
    }

    private static Assembly? ResolveCore(AssemblyLoadContext _, AssemblyName name) =>
        name.Name == CoreAssemblyName ? Context?.LoadFromAssemblyName(name) : null;
}
