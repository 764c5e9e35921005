using System.Collections.Concurrent;
using System.Reflection;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models;

/// <summary>
/// The families whose converters are loaded, by catalog name: every non-abstract <see cref="IModelFamily"/> with a
/// parameterless constructor in this assembly or in a loaded assembly that references it. A new family is therefore
/// its folder (and its catalog entry); no list names it.
/// </summary>
internal static class ModelFamilies
{
    private static readonly ConcurrentDictionary<Assembly, IModelFamily[]> ByAssembly = new();
    private static readonly string CoreName = typeof(IModelFamily).Assembly.GetName().Name!;

    /// <summary>The catalog names of the families this build can convert and run (a test holds them equal to the catalog's).</summary>
    public static IEnumerable<string> Names => All.Select(f => f.Name);

    /// <summary>Every family found, in a stable order (by name).</summary>
    public static IReadOnlyList<IModelFamily> All =>
        AppDomain.CurrentDomain.GetAssemblies().Where(CanHoldFamilies).SelectMany(a => ByAssembly.GetOrAdd(a, Discover))
            .OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public static IModelFamily Get(string name)
    {
        var matches = All.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ModelStoreException($"{name} has no converter in this version of AudioEmbed (families: {string.Join(", ", All.Select(f => f.Name))})."),
            _ => throw new ModelStoreException($"{name} is implemented twice ({string.Join(", ", matches.Select(f => f.GetType().FullName))})."),
        };
    }

    /// <summary>The family of that name, or null when this build has no converter for it (a planned family).</summary>
    public static IModelFamily? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    private static bool CanHoldFamilies(Assembly assembly) =>
        !assembly.IsDynamic && (assembly == typeof(IModelFamily).Assembly || assembly.GetReferencedAssemblies().Any(r => r.Name == CoreName));

    private static IModelFamily[] Discover(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException ex) { types = ex.Types.Where(t => t != null).ToArray()!; }
        return types
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IModelFamily).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null)
            .Select(t => (IModelFamily)Activator.CreateInstance(t)!)
            .ToArray();
    }
}
