#Requires -Version 7.4
<#
    Export-EmbeddingNpy: duplicate song names, -WhatIf, -NoClobber, -PassThru.
    Pester 5 against the built module (out/AudioEmbed); helpers in AudioEmbedTestUtils.psm1. The model store is a
    TestDrive folder and downloads are forbidden (AUDIOEMBED_OFFLINE=1); tests that need ../shared skip when it is absent.
    Numerical tolerance: 2e-3 absolute (fixtures/musicnn/README.md: end to end from the audio; measured about 1e-6).
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $HasShared = Test-TestShared
    $Songs = Get-TestSongs
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $Saved = Initialize-TestEnvironment -StorePath (Join-Path $TestDrive 'store')
    $ModuleManifest = Get-TestModuleManifest
    $Tolerance = 2e-3
    $MusicnnVariants = 'MTT_musicnn', 'MSD_musicnn', 'MTT_vgg', 'MSD_vgg'
}

AfterAll {
    Restore-TestEnvironment $Saved
}

Describe 'Export-EmbeddingNpy on the shared example songs' -Skip:(-not $HasShared) {
    BeforeAll {
        $P = Initialize-TestMusicnnProject -Root $TestDrive -Variants 'MTT_musicnn'
        $Project = $P.Project; $AudioDir = $P.AudioDir; $Wav = $P.Wav; $Trw = $P.Trw; $Joram = $P.Joram
        $SongNames = $P.SongNames; $FixtureDir = $P.FixtureDir; $CheckpointDir = $P.CheckpointDir
        Push-Location -LiteralPath $Project
    }

    AfterAll {
        Pop-Location
    }

    Context 'Two songs with one base name in two folders' {
        BeforeAll {
            $folderA = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'rock') -Force
            $folderB = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'jazz') -Force
            $FirstSong = Join-Path $folderA.FullName 'intro.wav'
            $SecondSong = Join-Path $folderB.FullName 'intro.wav'
            Copy-Item -LiteralPath $Wav[$Trw] -Destination $FirstSong
            Copy-Item -LiteralPath $Wav[$Joram] -Destination $SecondSong
            $DuplicateOut = Join-Path $TestDrive 'duplicate-out'
            $Embeddings = @(Get-AudioEmbedding -LiteralPath $FirstSong, $SecondSong)
            $Results = @($Embeddings | Export-EmbeddingNpy -OutputDirectory $DuplicateOut -ErrorVariable exportErrors -ErrorAction SilentlyContinue)
            $DuplicateErrors = @($exportErrors)
        }

        It 'writes one error naming both files' {
            $DuplicateErrors | Should -HaveCount 1
            $DuplicateErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.DuplicateSongName*'
            $DuplicateErrors[0].Exception.Message | Should -Match ([regex]::Escape($FirstSong))
            $DuplicateErrors[0].Exception.Message | Should -Match ([regex]::Escape($SecondSong))
        }

        It 'keeps the first file' {
            ($Results.Status -join ',') | Should -Be 'Written,Failed'
            $npy = Read-TestNpy (Join-Path $DuplicateOut 'musicnn/intro.npy')
            Get-TestMaxAbsDiff $Embeddings[0].Vector $npy.Values | Should -Be 0
        }
    }

    Context 'Export-EmbeddingNpy -WhatIf, -NoClobber and -PassThru' {
        BeforeAll {
            $One = Get-AudioEmbedding -LiteralPath $Wav[$Joram]
        }

        It '-WhatIf writes nothing and emits no result objects' {
            $dir = Join-Path $TestDrive 'whatif'
            $r = $One | Export-EmbeddingNpy -OutputDirectory $dir -WhatIf
            $r | Should -BeNullOrEmpty
            Join-Path $dir 'musicnn' | Should -Not -Exist
        }

        It '-NoClobber keeps an existing file; without it the file is replaced' {
            $dir = Join-Path $TestDrive 'noclobber'
            $target = Join-Path $dir "musicnn/$($One.Name).npy"
            New-Item -ItemType Directory -Path (Split-Path $target) -Force | Out-Null
            Set-Content -LiteralPath $target -Value 'keep me' -NoNewline

            $kept = $One | Export-EmbeddingNpy -OutputDirectory $dir -NoClobber
            $kept.Status | Should -Be 'Skipped'
            $kept.Reason | Should -Be 'Exists'
            Get-Content -LiteralPath $target -Raw | Should -Be 'keep me'

            $replaced = $One | Export-EmbeddingNpy -OutputDirectory $dir
            $replaced.Status | Should -Be 'Written'
            (Read-TestNpy $target).Shape[0] | Should -Be 753
        }

        It '-PassThru returns the written file' {
            $dir = Join-Path $TestDrive 'passthru'
            $file = $One | Export-EmbeddingNpy -OutputDirectory $dir -PassThru
            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.FullName | Should -Be (Join-Path $dir 'musicnn' "$($One.Name).npy")
            $file.Length | Should -BeGreaterThan (753 * 4)
        }
    }
}
