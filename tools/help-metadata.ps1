# Prints, as JSON, what the help must say about each exported cmdlet's parameters: type, switch or not, and the
# accepted values (enum names, ValidateSet / ValidatePerModelSet values, or the catalog's families for -Model). Used by
# tools/sync-help-values.py; the help tests (HelpTruthTests) check the same facts against the built module.
param([string] $Module = "$PSScriptRoot/../out/AudioEmbed/AudioEmbed.psd1")
$m = Import-Module $Module -PassThru -ErrorAction Stop
$catalog = Get-Content (Join-Path $m.ModuleBase 'models/catalog.json') -Raw | ConvertFrom-Json
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$result = [ordered]@{}
foreach ($c in Get-Command -Module $m.Name | Sort-Object Name) {
    $params = [ordered]@{}
    foreach ($p in $c.Parameters.Values | Where-Object { $common -notcontains $_.Name }) {
        $type = $p.ParameterType
        $element = if ($type.IsArray) { $type.GetElementType() } else { $type }
        $element = [Nullable]::GetUnderlyingType($element) ?? $element
        $values = $null
        # ValidatePerModelSet: a ValidateSet that also takes Model=Value pairs (its ValidValues are the accepted values).
        $set = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] -or $_.GetType().Name -eq 'ValidatePerModelSetAttribute' }
        if ($p.Attributes | Where-Object { $_.GetType().Name -eq 'ValidateModelFamilyAttribute' }) { $values = @($catalog.families.name) }
        elseif ($set) { $values = @($set.ValidValues) }
        elseif ($element.IsEnum) { $values = @([Enum]::GetNames($element)) }
        $params[$p.Name] = [ordered]@{ type = $type.Name; switch = ($type -eq [switch]); values = $values; aliases = @($p.Aliases) }
    }
    $result[$c.Name] = $params
}
$result | ConvertTo-Json -Depth 6
