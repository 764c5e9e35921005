<#
.SYNOPSIS
    Writes the built module (out/AudioEmbed) as a versioned PSResourceGet package: <DestinationPath>/AudioEmbed.<version>.nupkg.
.DESCRIPTION
    Checks the manifest (Test-ModuleManifest) and packs the module folder with Compress-PSResource (PSResourceGet,
    shipped with pwsh 7.4+). The package publishes to any PSResourceGet repository (Publish-PSResource -NupkgPath) and
    installs with Install-PSResource AudioEmbed. Returns the package's full path.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/AudioEmbed'),
    [string] $DestinationPath = (Join-Path $PSScriptRoot '../out/packages')
)
$ErrorActionPreference = 'Stop'
$ModulePath = [System.IO.Path]::GetFullPath($ModulePath)
$manifestPath = Join-Path $ModulePath 'AudioEmbed.psd1'
if (-not (Test-Path -LiteralPath $manifestPath)) { throw "The module is not built: '$manifestPath' is missing. Run ./build.ps1 first." }
$manifest = Test-ModuleManifest -Path $manifestPath
if (-not (Get-Command Compress-PSResource -ErrorAction SilentlyContinue)) {
    throw "Compress-PSResource (Microsoft.PowerShell.PSResourceGet 1.1 or later, shipped with pwsh 7.4+) is not available in this PowerShell ($($PSVersionTable.PSVersion))."
}

# PSResourceGet names the package after the folder: pack from a folder called AudioEmbed.
$source = $ModulePath
if ((Split-Path -Leaf $ModulePath) -ne 'AudioEmbed') {
    $source = Join-Path ([System.IO.Path]::GetTempPath()) "audioembed-pack-$([guid]::NewGuid().ToString('N'))/AudioEmbed"
    Copy-Item -LiteralPath $ModulePath -Destination $source -Recurse
}
try {
    $null = New-Item -ItemType Directory -Path $DestinationPath -Force
    $target = Join-Path ([System.IO.Path]::GetFullPath($DestinationPath)) "AudioEmbed.$($manifest.Version).nupkg"
    Remove-Item -LiteralPath $target -Force -ErrorAction SilentlyContinue
    Compress-PSResource -Path $source -DestinationPath $DestinationPath
    if (-not (Test-Path -LiteralPath $target)) { throw "Compress-PSResource did not write '$target'." }
    $target
}
finally {
    if ($source -ne $ModulePath) { Remove-Item -LiteralPath (Split-Path $source) -Recurse -Force -ErrorAction SilentlyContinue }
}
