<#
.SYNOPSIS
    Runs every tests/Pester/*.Tests.ps1 with Pester 5.7.1 against the built module (out/AudioEmbed).
.DESCRIPTION
    Pester comes from NuGet as a package (tools/Pester.Restore: a restore-only project with a PackageDownload item),
    imported from the NuGet packages folder ($env:NUGET_PACKAGES when set, else dotnet's global-packages folder).
    The suite runs in a child pwsh (this same PowerShell), so the module and Pester load into a clean session.
    Writes the counts as JSON to -ResultPath; exits 1 when a test failed or none ran.
#>
[CmdletBinding()]
param(
    [string] $ResultPath,
    # Folders or files; several also as one comma-separated string (from pwsh -File).
    [string[]] $TestPath = @(Join-Path $PSScriptRoot '../tests/Pester'),
    [string] $Output = 'Detailed'
)
$ErrorActionPreference = 'Stop'
$pesterVersion = '5.7.1'

dotnet restore (Join-Path $PSScriptRoot 'Pester.Restore/Pester.Restore.csproj') -nologo -v quiet
if ($LASTEXITCODE) { throw "dotnet restore of Pester $pesterVersion failed ($LASTEXITCODE)" }
$packages = $env:NUGET_PACKAGES
if (-not $packages) {
    $line = dotnet nuget locals global-packages --list | Select-Object -Last 1
    $packages = ($line -replace '^\s*global-packages:\s*', '').Trim()
}
$pesterManifest = Join-Path $packages "pester/$pesterVersion/tools/Pester.psd1"
if (-not (Test-Path -LiteralPath $pesterManifest)) { throw "Pester $pesterVersion was restored, but '$pesterManifest' is missing." }

# The pwsh running this script, started again: under the .NET tool that is 'dotnet <PSHOME>/pwsh.dll'.
$self = (Get-Process -Id $PID).Path
$pwshArgs = @(if ((Split-Path -Leaf $self) -match '^dotnet(\.exe)?$') { Join-Path $PSHOME 'pwsh.dll' })

$ResultPath = if ($ResultPath) { [System.IO.Path]::GetFullPath($ResultPath) } else { Join-Path ([System.IO.Path]::GetTempPath()) "audioembed-pester-$PID.json" }
$script = @'
param($PesterManifest, $TestPath, $ResultPath, $Output)
Import-Module $PesterManifest -Force
$config = New-PesterConfiguration
$config.Run.Path = @($TestPath -split '\|')
$config.Run.PassThru = $true
$config.Output.Verbosity = $Output
$r = Invoke-Pester -Configuration $config
[pscustomobject]@{ Passed = $r.PassedCount; Failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount; Skipped = $r.SkippedCount; NotRun = $r.NotRunCount } |
    ConvertTo-Json | Set-Content -LiteralPath $ResultPath
exit $(if ($r.Result -eq 'Passed' -and $r.PassedCount -gt 0) { 0 } else { 1 })
'@
$scriptFile = Join-Path ([System.IO.Path]::GetTempPath()) "audioembed-pester-$PID.ps1"
Set-Content -LiteralPath $scriptFile -Value $script
try {
    & $self @pwshArgs -NoProfile -NonInteractive -File $scriptFile -PesterManifest $pesterManifest -TestPath (@($TestPath -split ',' | ForEach-Object { [System.IO.Path]::GetFullPath($_.Trim()) }) -join '|') -ResultPath $ResultPath -Output $Output
    $code = $LASTEXITCODE
}
finally { Remove-Item -LiteralPath $scriptFile -Force -ErrorAction SilentlyContinue }
exit $code
