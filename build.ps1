<#
.SYNOPSIS
    Builds the AudioEmbed module into out/AudioEmbed; optionally runs the demo, every test, or writes the package.
.DESCRIPTION
    On a machine with only the .NET 10 SDK, pwsh comes from the local tool manifest (.config/dotnet-tools.json):
        dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Demo
        dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Test
.EXAMPLE
    ./build.ps1                      # Debug build, CPU ONNX Runtime
.EXAMPLE
    ./build.ps1 -Demo                # build, install MusiCNN, embed the example songs of ../shared/audio
.EXAMPLE
    ./build.ps1 -Test                # build, then dotnet test and the Pester suite (tests/Pester)
.EXAMPLE
    ./build.ps1 -Package             # build, then out/packages/AudioEmbed.<version>.nupkg for PSResourceGet
.EXAMPLE
    ./build.ps1 -Flavor Cuda         # the GPU module (ONNX Runtime 1.32 GPU package; CUDA 13 + cuDNN 9 on the target machine)
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # Which ONNX Runtime native build the module carries. Cpu works everywhere; Cuda needs CUDA 13 + cuDNN 9
    # on the target machine; DirectML is Windows only.
    [ValidateSet('Cpu', 'Cuda', 'DirectML')]
    [string] $Flavor = 'Cpu',

    # Run every test: dotnet test (xunit), then Invoke-Pester tests/Pester against the built module.
    [switch] $Test,

    # Install MusiCNN and embed the example songs (../shared/audio), printing where the .npy files went.
    [switch] $Demo,

    # Write the module package (.nupkg) that PSResourceGet publishes and installs, into out/packages.
    [switch] $Package,

    # Where the module is assembled (the tests build other flavours into a folder of their own).
    [string] $ModuleDirectory = (Join-Path $PSScriptRoot 'out/AudioEmbed'),

    # The demo's songs and output folder.
    [string] $AudioPath = (Join-Path $PSScriptRoot '../shared/audio'),
    [string] $OutputDirectory = (Join-Path $PSScriptRoot 'output/embeddings')
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET 10 SDK is required to build AudioEmbed: https://dot.net'
}
$moduleDir = [System.IO.Path]::GetFullPath($ModuleDirectory)
# A stale module folder could mix flavours: start clean.
Remove-Item -Recurse -Force $moduleDir -ErrorAction SilentlyContinue

$started = Get-Date
$moduleOut = "-p:ModuleOutDir=$($moduleDir.TrimEnd('/', '\'))$([System.IO.Path]::DirectorySeparatorChar)"
if ($Flavor -eq 'Cpu') {
    dotnet build AudioEmbed.sln -c $Configuration -nologo $moduleOut
}
else {
    # Another native ONNX Runtime: only the module's projects, with bin/obj of their own (out/build-<flavour>), so the
    # CPU build's outputs (and the tests built against them) keep their native libraries.
    dotnet build src/AudioEmbed.PowerShell/AudioEmbed.PowerShell.csproj -c $Configuration -nologo $moduleOut `
        "-p:OnnxRuntimeFlavor=$Flavor" --artifacts-path (Join-Path $PSScriptRoot "out/build-$($Flavor.ToLowerInvariant())")
}
if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)" }
$size = (Get-ChildItem -LiteralPath $moduleDir -Recurse -File | Measure-Object -Property Length -Sum).Sum
$native = Get-ChildItem -LiteralPath (Join-Path $moduleDir 'runtimes') -Recurse -File -ErrorAction SilentlyContinue |
    Where-Object Name -match 'onnxruntime' | Select-Object -ExpandProperty Name -Unique
Write-Host ("Module assembled in {0} ({1} flavour, {2:N1} MB, built in {3:N0} s; ONNX Runtime libraries: {4})" -f
    $moduleDir, $Flavor, ($size / 1MB), ((Get-Date) - $started).TotalSeconds, ($native -join ', '))

if ($Package) {
    $nupkg = & (Join-Path $PSScriptRoot 'tools/New-ModulePackage.ps1') -ModulePath $moduleDir -DestinationPath (Join-Path $PSScriptRoot 'out/packages')
    Write-Host "Module package: $nupkg ($('{0:N1}' -f ((Get-Item $nupkg).Length / 1MB)) MB). Publish it with Publish-PSResource -NupkgPath, install with Install-PSResource AudioEmbed."
}

if ($Demo) {
    & (Join-Path $PSScriptRoot 'tools/Invoke-Demo.ps1') -ModulePath (Join-Path $moduleDir 'AudioEmbed.psd1') -AudioPath $AudioPath -OutputDirectory $OutputDirectory
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
}

if ($Test) {
    & (Join-Path $PSScriptRoot 'tools/Invoke-AllTests.ps1') -Configuration $Configuration
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
}
