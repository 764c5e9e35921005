using System.Management.Automation;
using AudioEmbed.Core.Output;

namespace AudioEmbed.PowerShell;

/// <summary>-Layout / -RelativeTo, resolved the same way by every cmdlet that names embedding files.</summary>
internal static class LayoutSupport
{
    public static OutputLayout Resolve(PSCmdlet cmdlet, OutputLayoutKind kind, string? relativeTo) =>
        kind == OutputLayoutKind.Flat
            ? OutputLayout.Flat
            : new OutputLayout(kind, PathResolution.ResolveFolder(cmdlet, string.IsNullOrWhiteSpace(relativeTo) ? "." : relativeTo));
}
