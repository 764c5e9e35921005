#Requires -Version 7.4
<#
    The module as PSResourceGet users get it: tools/New-ModulePackage.ps1 (what ./build.ps1 -Package runs) writes the
    .nupkg, a local file repository takes it (Publish-PSResource), Install-PSResource -Scope CurrentUser installs it,
    and a FRESH pwsh imports it by name (Import-Module AudioEmbed) and runs the quick start on a real song.
    Nothing is left in the user's profile: on Linux and macOS every child pwsh gets a TestDrive HOME (PSResourceGet's
    repository list and the CurrentUser module folder live under it); on Windows the repository is unregistered and
    the module uninstalled in AfterAll.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $HasShared = Test-TestShared -Quiet
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $ModuleDir = Split-Path (Get-TestModuleManifest)
    $SharedRoot = Get-TestSharedRoot
    $HasShared = Test-TestShared -Quiet
    $RepoName = "AudioEmbedTest$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $RepoDir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'repository') -Force
    $ChildHome = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'home') -Force
    # .NET reports a special folder that does not exist as '' and NuGet (inside PSResourceGet) then writes NuGet/NuGet.Config
    # into the working folder: give the child HOME the folders a profile has.
    foreach ($folder in '.config', '.local/share', '.cache') { $null = New-Item -ItemType Directory -Path (Join-Path $ChildHome $folder) -Force }
    # The child processes' environment: their own HOME (Unix), no inherited module path or XDG folders.
    $ChildEnv = @{ PSModulePath = $null; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null }
    if (-not $IsWindows) { $ChildEnv.HOME = $ChildHome.FullName }

    # What ./build.ps1 -Package runs.
    $Nupkg = & (Join-Path (Get-TestRepoRoot) 'tools/New-ModulePackage.ps1') -ModulePath $ModuleDir -DestinationPath (Join-Path $TestDrive 'packages')

    function Invoke-Child([string] $Name, [string] $Script) {
        $path = Join-Path $TestDrive "$Name.ps1"
        Set-Content -LiteralPath $path -Value $Script
        # Started in TestDrive: whatever a child writes into its working folder stays there.
        Push-Location -LiteralPath $TestDrive
        try { Invoke-TestPwsh -ScriptPath $path -Environment $ChildEnv } finally { Pop-Location }
    }
}

AfterAll {
    # Leave nothing registered or installed, whatever happened above.
    $null = Invoke-Child 'cleanup' @"
Uninstall-PSResource -Name AudioEmbed -Scope CurrentUser -SkipDependencyCheck -ErrorAction SilentlyContinue
Unregister-PSResourceRepository -Name '$RepoName' -ErrorAction SilentlyContinue
"@
}

Describe 'Install-PSResource AudioEmbed from a local repository' {
    It 'the manifest passes Test-ModuleManifest and links to no made-up address' {
        $manifest = Test-ModuleManifest -Path (Get-TestModuleManifest)
        $manifest.Name | Should -Be 'AudioEmbed'
        $manifest.ProjectUri | Should -BeNullOrEmpty
        $manifest.LicenseUri | Should -BeNullOrEmpty
        $manifest.HelpInfoUri | Should -BeNullOrEmpty
    }

    It 'New-ModulePackage writes AudioEmbed.{version}.nupkg holding the module' {
        $version = (Test-ModuleManifest -Path (Get-TestModuleManifest)).Version
        Split-Path -Leaf $Nupkg | Should -Be "AudioEmbed.$version.nupkg"
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Nupkg)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        $entries | Should -Contain 'AudioEmbed.psd1'
        $entries | Should -Contain 'AudioEmbed.PowerShell.dll'
        $entries | Should -Contain 'en-US/AudioEmbed.PowerShell.dll-Help.xml'
        $entries | Should -Contain 'models/catalog.json'
        @($entries | Where-Object { $_ -like 'runtimes/*/native/*onnxruntime*' }).Count | Should -BeGreaterThan 0
    }

    It 'publishes to a local file repository and installs with Install-PSResource -Scope CurrentUser' {
        $run = Invoke-Child 'install' @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name '$RepoName' -Uri '$($RepoDir.FullName)' -Trusted
Publish-PSResource -NupkgPath '$Nupkg' -Repository '$RepoName'
Install-PSResource AudioEmbed -Repository '$RepoName' -Scope CurrentUser -TrustRepository
`$installed = Get-InstalledPSResource AudioEmbed -Scope CurrentUser
'installed=' + `$installed.Version + ' at ' + `$installed.InstalledLocation
"@
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Text | Should -Match 'installed=0\.\d+\.\d+'
        Get-ChildItem -LiteralPath $RepoDir -Filter 'AudioEmbed.*.nupkg' | Should -HaveCount 1
        if (-not $IsWindows) { $run.Text | Should -Match ([regex]::Escape($ChildHome.FullName)) }
    }

    It 'a fresh pwsh finds it by name (Import-Module AudioEmbed) and runs the quick start on a real song' {
        $quickStart = if ($HasShared) {
            @"
`$env:AUDIOEMBED_HOME = '$(Join-Path $TestDrive 'store')'
`$env:AUDIOEMBED_OFFLINE = '1'
Install-AudioEmbedModel -Model MusiCNN -SourcePath '$(Join-Path $SharedRoot 'models/musicnn/MTT_musicnn.h5')' | Out-Null
`$r = Get-ChildItem '$(Join-Path $SharedRoot 'audio')' -Filter *.mp3 | Get-AudioEmbedding -Model MusiCNN | Export-EmbeddingNpy -OutputDirectory '$(Join-Path $TestDrive 'embeddings')'
`$r | ForEach-Object { 'written=' + `$_.OutputPath }
"@
        }
        $run = Invoke-Child 'import' @"
`$ErrorActionPreference = 'Stop'
Import-Module AudioEmbed
'base=' + (Get-Module AudioEmbed).ModuleBase
'cmdlets=' + @(Get-Command -Module AudioEmbed).Count
$quickStart
"@
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Text | Should -Match 'cmdlets=\d+'
        $run.Text | Should -Not -Match ([regex]::Escape("base=$ModuleDir"))
        if (-not $IsWindows) { $run.Text | Should -Match ([regex]::Escape("base=$($ChildHome.FullName)")) }
        if (-not $HasShared) { Set-ItResult -Skipped -Because "'$SharedRoot' is absent: imported by name, but no checkpoint for the quick start"; return }
        $written = @($run.Output | Where-Object { $_ -like 'written=*' } | ForEach-Object { $_.Substring(8) })
        $written.Count | Should -Be @(Get-ChildItem (Join-Path $SharedRoot 'audio') -Filter *.mp3).Count
        foreach ($file in $written) { (Read-TestNpy $file).Shape | Should -Be @(753) }
    }
}
