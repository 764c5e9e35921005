#Requires -Version 7.4
<#
    Import-EmbeddingNpy: round trips and files that are not .npy.
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

Describe 'Import-EmbeddingNpy errors' {
    It 'Import-EmbeddingNpy reports a file that is not a .npy and goes on' {
        $bad = Join-Path $TestDrive 'bad/musicnn/broken.npy'
        New-Item -ItemType Directory -Path (Split-Path $bad) -Force | Out-Null
        Set-Content -LiteralPath $bad -Value 'not numpy'
        $imported = Import-EmbeddingNpy -LiteralPath $bad -ErrorVariable importErrors -ErrorAction SilentlyContinue
        $imported | Should -BeNullOrEmpty
        $importErrors | Should -HaveCount 1
        $importErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.InvalidNpy*'
    }
}

Describe 'Import-EmbeddingNpy round trip' -Skip:(-not $HasShared) {
    BeforeAll {
        $P = Initialize-TestMusicnnProject -Root $TestDrive -Variants 'MTT_musicnn'
        $Project = $P.Project; $AudioDir = $P.AudioDir; $Wav = $P.Wav; $Trw = $P.Trw; $Joram = $P.Joram
        $SongNames = $P.SongNames; $FixtureDir = $P.FixtureDir; $CheckpointDir = $P.CheckpointDir
        Push-Location -LiteralPath $Project
    }

    AfterAll {
        Pop-Location
    }

    Context 'Import-EmbeddingNpy round trip' {
        It 'reads back a pooled embedding exactly' {
            $e = Get-AudioEmbedding -LiteralPath $Wav[$Joram]
            $imported = $e | Export-EmbeddingNpy -OutputDirectory (Join-Path $TestDrive 'roundtrip') -PassThru | Import-EmbeddingNpy
            $imported.Model | Should -Be 'MusiCNN'
            $imported.Name | Should -Be $Joram
            $imported.Dimension | Should -Be 753
            Get-TestMaxAbsDiff $e.Vector $imported.Vector | Should -Be 0
        }

        It 'reads back a full sequence exactly' {
            $e = Get-AudioEmbedding -LiteralPath $Wav[$Trw] -FullSequence
            $imported = $e | Export-EmbeddingNpy -OutputDirectory (Join-Path $TestDrive 'roundtrip-sequence') -PassThru | Import-EmbeddingNpy
            $imported.Pooling | Should -Be 'None'
            $imported.Sequence.Count | Should -Be 10
            Get-TestMaxAbsDiff $e.Sequence[9] $imported.Sequence[9] | Should -Be 0
        }

        It 'reads the files named by -Path wildcards' {
            $dir = Join-Path $TestDrive 'wildcards'
            $null = Get-AudioEmbedding -LiteralPath $Wav[$Trw], $Wav[$Joram] | Export-EmbeddingNpy -OutputDirectory $dir
            $imported = @(Import-EmbeddingNpy -Path (Join-Path $dir 'musicnn/*.npy'))
            $imported | Should -HaveCount 2
            (($imported.Name | Sort-Object) -join ',') | Should -Be ((@($Trw, $Joram) | Sort-Object) -join ',')
        }

        It 'accepts the ExportResult objects of Export-EmbeddingNpy from the pipeline' {
            $e = Get-AudioEmbedding -LiteralPath $Wav[$Joram]
            $imported = $e | Export-EmbeddingNpy -OutputDirectory (Join-Path $TestDrive 'roundtrip-results') | Import-EmbeddingNpy
            $imported.Name | Should -Be $Joram
            Get-TestMaxAbsDiff $e.Vector $imported.Vector | Should -Be 0
        }
    }
}
