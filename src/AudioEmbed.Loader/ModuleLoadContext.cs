using System.Reflection;
using System.Runtime.Loader;

namespace AudioEmbed.Loader;

/// <summary>
/// The module's own assembly load context. AudioEmbed.Core and every managed dependency it brings (ONNX Runtime's
/// managed part, Google.Protobuf, PureHDF, System.Numerics.Tensors) live in the module's dependencies folder and load
/// here, so another module in the same session that loaded other versions of them first breaks neither module.
/// Only the loader and the cmdlet assembly sit in PowerShell's default context; the cmdlet assembly references Core alone.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    /// <summary>The folder beside the cmdlet assembly that holds Core and its dependencies.</summary>
    public const string DependencyFolderName = "dependencies";

    private readonly string _dependencyDirectory;

    public ModuleLoadContext(string dependencyDirectory) : base("AudioEmbed", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    public string DependencyDirectory => _dependencyDirectory;

    /// <summary>Our own copy when the dependencies folder has one; otherwise the default context (the framework, PowerShell).</summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null) return null;
        string candidate = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
