#Requires -Version 7.4
<#
    Get-EmbeddingStatus: counting a library's embeddings and completing it with -Missing.
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

Describe 'Get-EmbeddingStatus errors' {
    It 'Get-EmbeddingStatus stops when the audio folder does not exist' {
        $err = { Get-EmbeddingStatus -AudioPath (Join-Path $TestDrive 'no such folder') -OutputDirectory (Join-Path $TestDrive 'out') } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.AudioFolderNotFound*'
    }
}

Describe 'Get-EmbeddingStatus on a library of the shared example songs' -Skip:(-not $HasShared) {
    BeforeAll {
        $P = Initialize-TestMusicnnProject -Root $TestDrive -Variants 'MTT_musicnn'
        $Project = $P.Project; $AudioDir = $P.AudioDir; $Wav = $P.Wav; $Trw = $P.Trw; $Joram = $P.Joram
        $SongNames = $P.SongNames; $FixtureDir = $P.FixtureDir; $CheckpointDir = $P.CheckpointDir
        Push-Location -LiteralPath $Project
    }

    AfterAll {
        Pop-Location
    }

    Context 'Get-EmbeddingStatus and completing a folder' {
        BeforeAll {
            $Library = Join-Path $TestDrive 'library'
            $LibraryOut = Join-Path $TestDrive 'library-embeddings'
            New-Item -ItemType Directory -Path $Library -Force | Out-Null
            Copy-Item -LiteralPath $Wav[$Trw] -Destination $Library
            Copy-Item -LiteralPath $Wav[$Joram] -Destination $Library
            Copy-Item -LiteralPath $Wav[$Joram] -Destination (Join-Path $Library 'third song.wav')
            Set-Content -LiteralPath (Join-Path $Library 'cover.txt') -Value 'not counted: not an audio extension'

            # One valid embedding, one invalid (not a .npy), one orphan (no audio file of that name).
            $null = Get-AudioEmbedding -LiteralPath (Join-Path $Library "$Trw.wav") | Export-EmbeddingNpy -OutputDirectory $LibraryOut
            $musicnnOut = Join-Path $LibraryOut 'musicnn'
            Set-Content -LiteralPath (Join-Path $musicnnOut 'third song.npy') -Value 'truncated by a crash'
            Copy-Item -LiteralPath (Join-Path $musicnnOut "$Trw.npy") -Destination (Join-Path $musicnnOut 'removed song.npy')

            $Before = Get-EmbeddingStatus -AudioPath $Library -OutputDirectory $LibraryOut -Model MusiCNN
            $AllModels = @(Get-EmbeddingStatus -AudioPath $Library -OutputDirectory $LibraryOut)
            $Completed = @(Get-EmbeddingStatus -AudioPath $Library -OutputDirectory $LibraryOut -Model MusiCNN -Missing |
                Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory $LibraryOut)
            $After = Get-EmbeddingStatus -AudioPath $Library -OutputDirectory $LibraryOut -Model MusiCNN
        }

        It 'counts valid, missing, orphaned and invalid embeddings' {
            $Before.Model | Should -Be 'MusiCNN'
            $Before.AudioFiles | Should -Be 3
            $Before.Valid | Should -Be 1
            $Before.Missing | Should -Be 2
            $Before.Orphaned | Should -Be 1
            $Before.Invalid | Should -Be 1
            (($Before.MissingFiles | ForEach-Object { Split-Path $_ -Leaf } | Sort-Object) -join ',') | Should -Be "$Joram.wav,third song.wav"
            Split-Path $Before.OrphanedFiles[0] -Leaf | Should -Be 'removed song.npy'
            Split-Path $Before.InvalidFiles[0] -Leaf | Should -Be 'third song.npy'
        }

        It 'reports every model family without -Model' {
            ($AllModels.Model -join ',') | Should -Be 'MusiCNN,Mert,EnCodecMAE'
            ($AllModels | Where-Object Model -eq 'Mert').Missing | Should -Be 3
        }

        It '-Missing | Get-AudioEmbedding | Export-EmbeddingNpy completes the folder' {
            $Completed | Should -HaveCount 2
            ($Completed.Status -join ',') | Should -Be 'Written,Written'
            $After.Valid | Should -Be 3
            $After.Missing | Should -Be 0
            $After.Invalid | Should -Be 0
            $After.Orphaned | Should -Be 1
        }
    }
}
