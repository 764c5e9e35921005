using System.Management.Automation;

namespace AudioEmbed.PowerShell;

/// <summary>
/// A ValidateSet for a parameter that also takes Model=Value pairs (Get-AudioEmbedding -Resampler Mert=Torchaudio):
/// the value, or the part after '=', must be one of <see cref="ValidValues"/> (case-insensitive). The model part is
/// checked by the command, against -Model. The help tools list <see cref="ValidValues"/> as the accepted values.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidatePerModelSetAttribute : ValidateEnumeratedArgumentsAttribute
{
    public ValidatePerModelSetAttribute(params string[] validValues) => ValidValues = validValues;

    public IList<string> ValidValues { get; }

    protected override void ValidateElement(object element)
    {
        var text = element?.ToString() ?? "";
        int equals = text.IndexOf('=');
        var value = (equals > 0 ? text[(equals + 1)..] : text).Trim();
        if (!ValidValues.Contains(value, StringComparer.OrdinalIgnoreCase))
            throw new ValidationMetadataException(
                $"'{text}' is not one of {string.Join(", ", ValidValues)}, nor a Model=Value pair with one of them (for example Mert={ValidValues[^1]}).");
    }
}
