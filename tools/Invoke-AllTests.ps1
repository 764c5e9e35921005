<#
.SYNOPSIS
    Runs every test of the built tree: dotnet test (xunit), then the Pester suite (tests/Pester, every *.Tests.ps1) against
    out/AudioEmbed with this pwsh. Prints each suite's counts, then one closing line 'N passed, N failed, N skipped'.
    Exits 1 when either suite fails or finds no test.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'
$root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..'))
Set-Location $root

# xunit through dotnet test. Its summary line ("Failed: 0, Passed: 712, Skipped: 3, Total: ...") is read back.
$started = Get-Date
$xunitLines = [System.Collections.Generic.List[string]]::new()
dotnet test AudioEmbed.sln --no-build -c $Configuration 2>&1 | ForEach-Object { $line = "$_"; $xunitLines.Add($line); Write-Host $line }
$xunitExit = $LASTEXITCODE
$xunit = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
foreach ($line in $xunitLines) {
    if ($line -match 'Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+)') {
        $xunit.Failed += [int]$Matches[1]; $xunit.Passed += [int]$Matches[2]; $xunit.Skipped += [int]$Matches[3]
    }
}
$xunitSeconds = ((Get-Date) - $started).TotalSeconds

# Pester: every *.Tests.ps1 under tests/Pester, in a child pwsh so that the module and Pester load into a clean session.
$started = Get-Date
$pesterResult = Join-Path $root 'out/pester-result.json'
Remove-Item -LiteralPath $pesterResult -Force -ErrorAction SilentlyContinue
& (Join-Path $PSScriptRoot 'Invoke-PesterSuite.ps1') -ResultPath $pesterResult
$pesterExit = $LASTEXITCODE
$pester = if (Test-Path -LiteralPath $pesterResult) { Get-Content -Raw -LiteralPath $pesterResult | ConvertFrom-Json }
          else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
$pesterSeconds = ((Get-Date) - $started).TotalSeconds

$passed = $xunit.Passed + $pester.Passed
$failed = $xunit.Failed + $pester.Failed
$skipped = $xunit.Skipped + $pester.Skipped
Write-Host ""
Write-Host ("xunit suite (dotnet test, {0:N0} s) counted {1} passed, {2} failed, {3} skipped (exit code {4})" -f $xunitSeconds, $xunit.Passed, $xunit.Failed, $xunit.Skipped, $xunitExit)
Write-Host ("Pester suite (tests/Pester, {0:N0} s) counted {1} passed, {2} failed, {3} skipped (exit code {4})" -f $pesterSeconds, $pester.Passed, $pester.Failed, $pester.Skipped, $pesterExit)
Write-Host "$passed passed, $failed failed, $skipped skipped"
$ok = $xunitExit -eq 0 -and $pesterExit -eq 0 -and $failed -eq 0 -and $xunit.Passed -gt 0 -and $pester.Passed -gt 0
exit $(if ($ok) { 0 } else { 1 })
