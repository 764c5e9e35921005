using System.Management.Automation;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Validates -Model against the families of models/catalog.json (case-insensitively), so a family added to the
/// catalog is accepted without touching a cmdlet. An unknown name is one clear error listing the known families,
/// raised at parameter binding, before anything runs.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateModelFamilyAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        string name = (element is PSObject pso ? pso.BaseObject : element)?.ToString() ?? "";
        var families = ModuleContext.Catalog.Families;
        if (!families.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new ValidationMetadataException($"Unknown model '{name}'. Known models: {string.Join(", ", families.Select(f => f.Name))}.");
    }
}
