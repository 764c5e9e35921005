# Dot-sourced by the per-cmdlet test files in BeforeDiscovery: the helpers, whether ../shared is there, its songs.
Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
$HasShared = Test-TestShared
$Songs = Get-TestSongs
