<#
.SYNOPSIS
    Builds the AudioEmbed module into out/AudioEmbed (and optionally runs the tests).
.EXAMPLE
    ./build.ps1                      # Debug build, CPU ONNX Runtime
.EXAMPLE
    ./build.ps1 -Configuration Release -Test
.EXAMPLE
    ./build.ps1 -Flavor Cuda         # needs the Microsoft.ML.OnnxRuntime.Gpu package in your NuGet feed
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # Which ONNX Runtime native build the module carries. Cpu works everywhere; Cuda needs CUDA 12 + cuDNN 9
    # on the target machine; DirectML is Windows only.
    [ValidateSet('Cpu', 'Cuda', 'DirectML')]
    [string] $Flavor = 'Cpu',

    [switch] $Test
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK (8 or later) is required to build AudioEmbed: https://dot.net'
}
# A stale module folder could mix flavours: start clean.
Remove-Item -Recurse -Force (Join-Path $PSScriptRoot 'out/AudioEmbed') -ErrorAction SilentlyContinue

dotnet build AudioEmbed.sln -c $Configuration "-p:OnnxRuntimeFlavor=$Flavor"
if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)" }
Write-Host "Module assembled in $(Join-Path $PSScriptRoot 'out/AudioEmbed')"

if ($Test) {
    dotnet test AudioEmbed.sln -c $Configuration --no-build
    if ($LASTEXITCODE) { throw "tests failed ($LASTEXITCODE)" }
}
