#Requires -Version 7.4
<#
    Install-AudioEmbedModel and Get-AudioEmbedModel: local checkpoints, licences, hashes, offline, reinstalling.
    Pester 5 against the built module (out/AudioEmbed); helpers in AudioEmbedTestUtils.psm1. The model store is a
    TestDrive folder and downloads are forbidden (AUDIOEMBED_OFFLINE=1); tests that need ../shared skip when it is absent.
    Numerical tolerance: 2e-3 absolute (fixtures/musicnn/README.md: end to end from the audio; measured about 1e-6).
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestFile.Discovery.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestFile.Setup.ps1')
}

AfterAll {
    Restore-TestEnvironment $Saved
}

Describe 'Install-AudioEmbedModel refusals and local checkpoints' {
    BeforeAll {
        $Tone = Join-Path $TestDrive 'tone.wav'
        New-TestTone -Path $Tone
    }

    It '<Model> is not downloaded when downloads are off and the Hugging Face cache lacks it' -ForEach @(@{ Model = 'Mert' }, @{ Model = 'EnCodecMAE' }) {
        $err = { Get-AudioEmbedding -LiteralPath $Tone -Model $Model } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.ModelUnavailable*'
        # MERT's non-commercial licence is asked for first; EnCodecMAE stops because it may not download (offline) and
        # the (empty, test) Hugging Face cache does not hold it.
        $err.Exception.Message | Should -Match $(if ($Model -eq 'Mert') { 'AcceptLicense' } else { 'not in the Hugging Face cache and downloads are off' })
        $err.Exception.Message | Should -Match "Install-AudioEmbedModel -Model $Model"

        $variants = @(Get-AudioEmbedModel -Model $Model)
        $variants | Should -HaveCount 2
        $variants.Available | Should -Not -Contain $false
    }

    It 'MERT (CC-BY-NC-4.0) installs only with -AcceptLicense, and the licence is shown' {
        $fixture = Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'mert' 'tiny-95m-style'
        if (-not (Test-Path $fixture)) { Set-ItResult -Skipped -Because "the shared fixtures are absent ($fixture)"; return }
        $store = Join-Path $TestDrive 'license-store'
        # The tiny fixture is not the real MERT-v1-95M, which the catalog pins: a catalog without MERT's pins lets it in.
        $catalogBefore = $env:AUDIOEMBED_CATALOG
        $null = Use-TestUnpinnedCatalog -Folder (Join-Path $TestDrive 'catalog')
        try {
            $null = Install-AudioEmbedModel -Model Mert -SourcePath $fixture -ModelPath $store -ErrorVariable licenseErrors -ErrorAction SilentlyContinue -InformationVariable notice
            $licenseErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.LicenseNotAccepted*'
            ($notice -join ' ') | Should -Match 'CC-BY-NC-4.0'
            Test-Path (Join-Path $store 'models/mert/MERT-v1-95M') | Should -BeFalse

            $status = Install-AudioEmbedModel -Model Mert -SourcePath $fixture -ModelPath $store -AcceptLicense -WarningAction SilentlyContinue
            $status.Installed | Should -BeTrue
            (Get-Content -Raw (Join-Path $status.Location 'manifest.json') | ConvertFrom-Json).licenseAcceptedUtc | Should -Not -BeNullOrEmpty
        }
        finally { $env:AUDIOEMBED_CATALOG = $catalogBefore }
    }

    It 'EnCodecMAE installs from a local checkpoint under a custom name and matches the upstream features' {
        $fixture = Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'encodecmae' 'tiny-mel256'
        if (-not (Test-Path $fixture)) { Set-ItResult -Skipped -Because "the shared fixtures are absent ($fixture)"; return }
        Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -SourcePath (Join-Path $fixture 'model.pt') -WarningAction SilentlyContinue | Out-Null
        $e = Get-AudioEmbedding -LiteralPath (Join-Path $fixture 'input.wav') -Model EnCodecMAE -Variant tiny-mel256
        $reference = Read-TestNpy (Join-Path $fixture 'mean_pooled.npy')
        Get-TestMaxAbsDiff $reference.Values $e.Vector | Should -BeLessOrEqual 1e-4
    }

    It 'a checkpoint with the wrong SHA-256 is rejected and nothing is installed' {
        $source = Join-Path $TestDrive 'not-a-checkpoint'
        New-Item -ItemType Directory -Path $source -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $source 'MTT_musicnn.h5') -Value 'this is not the pinned checkpoint'

        $installed = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath $source -ErrorVariable installErrors -ErrorAction SilentlyContinue

        $installed | Should -BeNullOrEmpty
        $installErrors | Should -HaveCount 1
        $installErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.InstallFailed*'
        $installErrors[0].Exception.Message | Should -Match 'SHA-256'
        $installErrors[0].Exception.Message | Should -Match 'Nothing was installed'
        Get-AudioEmbedModel -Model MusiCNN -Installed | Should -BeNullOrEmpty
        Join-Path $env:AUDIOEMBED_HOME 'models/musicnn/MTT_musicnn' | Should -Not -Exist
        @(Get-ChildItem -LiteralPath (Join-Path $env:AUDIOEMBED_HOME 'models/musicnn') -Force -ErrorAction SilentlyContinue |
            Where-Object Name -like '.staging-*') | Should -HaveCount 0
    }

    It 'AUDIOEMBED_OFFLINE=1 refuses to download' {
        Install-AudioEmbedModel -Model MusiCNN -Variant MSD_vgg -ErrorVariable installErrors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $installErrors | Should -HaveCount 1
        $installErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.InstallFailed*'
        $installErrors[0].Exception.Message | Should -Match 'AUDIOEMBED_OFFLINE'
    }
}

Describe 'Install-AudioEmbedModel from ../shared/models/musicnn' -Skip:(-not $HasShared) {
    BeforeAll {
        $P = Initialize-TestMusicnnProject -Root $TestDrive -Variants $MusicnnVariants
        $Project = $P.Project; $AudioDir = $P.AudioDir; $Wav = $P.Wav; $Trw = $P.Trw; $Joram = $P.Joram
        $SongNames = $P.SongNames; $FixtureDir = $P.FixtureDir; $CheckpointDir = $P.CheckpointDir
        Push-Location -LiteralPath $Project
    }

    AfterAll {
        Pop-Location
    }

    It 'installs the four MusiCNN variants from -SourcePath' {
        $installed = Get-AudioEmbedModel -Model MusiCNN -Installed
        $installed | Should -HaveCount 4
        ($installed.Variant -join ',') | Should -Be ($MusicnnVariants -join ',')
        foreach ($m in $installed) { $m.Location | Should -BeLike "$env:AUDIOEMBED_HOME*" }
    }

    Context 'Reinstalling a model that this session has used' {
        It 'Install-AudioEmbedModel -Force, then Get-AudioEmbedding, still works (in a child pwsh, as it may crash)' {
            # Run in a separate process: a disposed native session would take the whole test run down with it.
            # Its own store, so that the parent session's open model files are not in the way of the reinstall.
            $script = Join-Path $TestDrive 'reinstall.ps1'
            $childStore = Join-Path $TestDrive 'child-store'
            @"
`$ErrorActionPreference = 'Stop'
`$env:AUDIOEMBED_HOME = '$childStore'
Import-Module '$ModuleManifest'
`$null = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath '$CheckpointDir'
`$first = Get-AudioEmbedding -LiteralPath '$($Wav[$Joram])'
`$null = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath '$CheckpointDir' -Force
`$second = Get-AudioEmbedding -LiteralPath '$($Wav[$Joram])'
'dimension=' + `$second.Dimension
"@ | Set-Content -LiteralPath $script
            # A fresh pwsh: under the .NET tool (Get-Process -Id $PID).Path is dotnet, so Invoke-TestPwsh starts $PSHOME's pwsh.
            $run = Invoke-TestPwsh -ScriptPath $script
            $output = $run.Output
            $run.ExitCode | Should -Be 0 -Because $run.Text
            ($output -join "`n") | Should -Match 'dimension=753'
        }
    }
}
