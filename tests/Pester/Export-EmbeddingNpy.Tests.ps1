#Requires -Version 7.4
<#
    Export-EmbeddingNpy: duplicate song names, -WhatIf, -NoClobber, -PassThru; a non-default resampler's own folder
    (the tiny MERT checkpoint of ../shared/fixtures/mert installed as MERT-v1-95M through an unpinned catalog).
    Pester 5 against the built module (out/AudioEmbed); helpers in AudioEmbedTestUtils.psm1. The model store is a
    TestDrive folder and downloads are forbidden (AUDIOEMBED_OFFLINE=1); tests that need ../shared skip when it is absent.
    Numerical tolerance: 2e-3 absolute (fixtures/musicnn/README.md: end to end from the audio; measured about 1e-6).
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestFile.Discovery.ps1')
    $HasTinyMert = Test-Path -LiteralPath (Join-Path (Get-TestSharedRoot) 'fixtures/mert/tiny-95m-style')
    if (-not $HasTinyMert) { Write-Warning "Export-EmbeddingNpy resampler-folder tests: '$(Get-TestSharedRoot)/fixtures/mert/tiny-95m-style' is absent; they are skipped." }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestFile.Setup.ps1')
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

Describe 'A non-default resampler is its own configuration (MERT, tiny checkpoint)' -Skip:(-not $HasTinyMert) {
    BeforeAll {
        # The tiny fixture under its own name (as the other tests install it): its soxr HQ output is the configuration
        # folder tiny-95m-style.last.mean, the torchaudio one tiny-95m-style.last.mean.torchaudio.
        Install-AudioEmbedModel -Model Mert -Variant MERT-v1-95M -Name tiny-95m-style -SourcePath (Join-Path (Get-TestSharedRoot) 'fixtures/mert/tiny-95m-style') -WarningAction SilentlyContinue | Out-Null
        $Tiny = @{ Model = 'Mert'; Variant = 'tiny-95m-style' }
        # Three 2-s songs at 44.1 kHz (resampled to 24 kHz) and one already at 24 kHz (never resampled).
        $Audio = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'resampler-audio') -Force
        function New-Song([string] $Name, [int] $Rate, [double] $Hz) {
            $n = 2 * $Rate
            $x = [float[]]::new($n)
            for ($i = 0; $i -lt $n; $i++) { $x[$i] = [float](0.4 * [math]::Sin(2 * [math]::PI * $Hz * $i / $Rate) + 0.2 * [math]::Sin(2 * [math]::PI * 11000 * $i / $Rate)) }
            Write-TestWav -Path (Join-Path $Audio $Name) -Samples $x -SampleRate $Rate
        }
        New-Song 's0.wav' 44100 220; New-Song 's1.wav' 44100 330; New-Song 's2.wav' 44100 440; New-Song 'at-rate.wav' 24000 550
        $Out = Join-Path $TestDrive 'resampler-out'
        $Manifest = Join-Path $Out 'mert/manifest.jsonl'
        $Root = Join-Path $Out 'mert/tiny-95m-style.last.mean'
        $TorchDir = Join-Path $Out 'mert/tiny-95m-style.last.mean.torchaudio'
        function Get-Hashes([string] $Dir) {
            $h = @{}
            foreach ($f in Get-ChildItem -LiteralPath $Dir -Filter *.npy -File) { $h[$f.Name] = (Get-FileHash -LiteralPath $f.FullName).Hash }
            $h
        }
        function Get-Songs([string[]] $Names) { $Names | ForEach-Object { Join-Path $Audio $_ } }

        # The default (soxr HQ) library exists first.
        Get-ChildItem -LiteralPath $Audio -File | Get-AudioEmbedding @Tiny | Export-EmbeddingNpy -OutputDirectory $Out | Out-Null
        $DefaultBefore = Get-Hashes $Root
        # Then a torchaudio run over part of it.
        $TorchResults = @(Get-Songs 's0.wav', 's1.wav', 'at-rate.wav' | Get-AudioEmbedding @Tiny -Resampler Torchaudio |
            Export-EmbeddingNpy -OutputDirectory $Out -ErrorVariable torchErrors -ErrorAction SilentlyContinue)
        $TorchErrors = @($torchErrors)
    }

    It 'writes the torchaudio embeddings to their own folder, without a conflict' {
        $TorchErrors | Should -BeNullOrEmpty
        $TorchResults.Status | Should -Be @('Written', 'Written', 'Written')
        $TorchResults.OutputPath | ForEach-Object { Split-Path -Parent $_ } | Should -Be @($TorchDir, $TorchDir, $TorchDir)
        (Get-Hashes $TorchDir).Keys | Sort-Object | Should -Be @('at-rate.npy', 's0.npy', 's1.npy')
    }

    It 'leaves the default files byte for byte as they were' {
        $DefaultBefore.Count | Should -Be 4
        $after = Get-Hashes $Root
        $after.Count | Should -Be 4
        foreach ($name in $DefaultBefore.Keys) { $after[$name] | Should -Be $DefaultBefore[$name] -Because "$name is a default (soxr HQ) file" }
    }

    It 'holds other data for resampled songs, the same for the song already at 24 kHz' {
        $soxr = Read-TestNpy (Join-Path $Root 's0.npy')
        $torch = Read-TestNpy (Join-Path $TorchDir 's0.npy')
        Get-TestMaxAbsDiff $soxr.Values $torch.Values | Should -BeGreaterThan 0
        (Get-FileHash (Join-Path $Root 'at-rate.npy')).Hash | Should -Be (Get-FileHash (Join-Path $TorchDir 'at-rate.npy')).Hash
        $lines = Get-Content $Manifest | ConvertFrom-Json
        ($lines | Where-Object output -eq 'tiny-95m-style.last.mean.torchaudio/s0.npy').resampler | Should -Be 'torchaudio'
        ($lines | Where-Object output -eq 'tiny-95m-style.last.mean.torchaudio/at-rate.npy').resampler | Should -Be 'none'
    }

    It 'Get-EmbeddingStatus reports each configuration from its own folder' {
        $default = Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $Out
        ($default.Valid, $default.Missing, $default.Stale, $default.Orphaned) | Should -Be @(4, 0, 0, 0)
        $default.EmbeddingDirectory | Should -Be $Root
        $torch = Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $Out -Resampler Torchaudio
        ($torch.Valid, $torch.Missing, $torch.Stale, $torch.Orphaned) | Should -Be @(3, 1, 0, 0)
        $torch.EmbeddingDirectory | Should -Be $TorchDir
        (Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $Out -Resampler Torchaudio -Missing).AudioPath | Should -Be (Join-Path $Audio 's2.wav')
        # The default recipe named explicitly is the default folder.
        (Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $Out -Resampler SoxrHQ).EmbeddingDirectory | Should -Be $Root
    }

    It '-SkipExisting -Resampler Torchaudio computes only the song missing from the torchaudio folder' {
        $again = @(Get-ChildItem -LiteralPath $Audio -File | Get-AudioEmbedding @Tiny -Resampler Torchaudio -SkipExisting -OutputDirectory $Out)
        $again.Name | Should -Be @('s2')
        $again[0].ResamplingRecipe | Should -Be 'torchaudio'
        $again | Export-EmbeddingNpy -OutputDirectory $Out | Out-Null
        (Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $Out -Resampler Torchaudio).Valid | Should -Be 4
        @(Get-ChildItem -LiteralPath $Audio -File | Get-AudioEmbedding @Tiny -SkipExisting -OutputDirectory $Out) | Should -HaveCount 0
    }

    It 'a torchaudio file in the default folder (as older versions wrote it) is stale there and a conflict unless -Force' {
        $legacy = Join-Path $TestDrive 'legacy-out'
        # What an older version did with -Resampler Torchaudio: the default folder, the recipe only in the manifest line.
        Copy-Item -LiteralPath (Join-Path $TestDrive 'resampler-out') -Destination $legacy -Recurse
        $legacyRoot = Join-Path $legacy 'mert/tiny-95m-style.last.mean'
        $legacyManifest = Join-Path $legacy 'mert/manifest.jsonl'
        Copy-Item -LiteralPath (Join-Path $legacy 'mert/tiny-95m-style.last.mean.torchaudio/s1.npy') -Destination (Join-Path $legacyRoot 's1.npy') -Force
        $line = (Get-Content $legacyManifest | ConvertFrom-Json | Where-Object output -eq 'tiny-95m-style.last.mean.torchaudio/s1.npy' | Select-Object -Last 1)
        $line.output = 'tiny-95m-style.last.mean/s1.npy'
        Add-Content -LiteralPath $legacyManifest -Value ($line | ConvertTo-Json -Compress)
        $before = (Get-FileHash (Join-Path $legacyRoot 's1.npy')).Hash

        $status = Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $legacy
        $status.Stale | Should -Be 1
        $pending = Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $legacy -Missing
        $pending.Name | Should -Be @('s1')
        "$($pending.Reason)" | Should -Be 'OtherSettings'
        $pending.Detail | Should -Match 'torchaudio'
        (Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $legacy -Resampler Torchaudio).Stale | Should -Be 0

        $recomputed = @(Get-ChildItem -LiteralPath $Audio -File | Get-AudioEmbedding @Tiny -SkipExisting -OutputDirectory $legacy)
        $recomputed.Name | Should -Be @('s1')
        $refused = @($recomputed | Export-EmbeddingNpy -OutputDirectory $legacy -ErrorVariable conflict -ErrorAction SilentlyContinue)
        $refused.Status | Should -Be 'Failed'
        $conflict[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.ConfigurationConflict*'
        "$($conflict[0])" | Should -Match 'resampler torchaudio'
        (Get-FileHash (Join-Path $legacyRoot 's1.npy')).Hash | Should -Be $before

        ($recomputed | Export-EmbeddingNpy -OutputDirectory $legacy -Force).Status | Should -Be 'Written'
        (Get-FileHash (Join-Path $legacyRoot 's1.npy')).Hash | Should -Be $DefaultBefore['s1.npy']
        (Get-EmbeddingStatus $Audio @Tiny -OutputDirectory $legacy).Stale | Should -Be 0
    }

    It 'Find-SimilarAudio and Export-EmbeddingTable -Resampler Torchaudio read the torchaudio folder only' {
        $hits = @(Find-SimilarAudio -Path (Join-Path $Audio 's0.wav') @Tiny -Resampler Torchaudio -OutputDirectory $Out -Top 10)
        $hits.Count | Should -BeGreaterOrEqual 2
        $hits.EmbeddingPath | ForEach-Object { Split-Path -Parent $_ } | Sort-Object -Unique | Should -Be $TorchDir
        $table = Join-Path $TestDrive 'torch.npz'
        (Export-EmbeddingTable -Path $table @Tiny -Resampler Torchaudio -OutputDirectory $Out).Rows | Should -Be 4
        $query = Import-EmbeddingNpy -LiteralPath (Join-Path $TorchDir 's1.npy')
        $query.ResamplingRecipe | Should -Be 'torchaudio'
        @(Find-SimilarAudio -InputObject $query -OutputDirectory $Out -Top 10).EmbeddingPath | ForEach-Object { Split-Path -Parent $_ } | Sort-Object -Unique | Should -Be $TorchDir
        # Piped, an embedding brings its recipe too: an imported one, and a fresh -Resampler Torchaudio result.
        @($query | Find-SimilarAudio -OutputDirectory $Out -Top 10).EmbeddingPath | ForEach-Object { Split-Path -Parent $_ } | Sort-Object -Unique | Should -Be $TorchDir
        $fresh = @(Get-AudioEmbedding -LiteralPath (Join-Path $Audio 's2.wav') @Tiny -Resampler Torchaudio | Find-SimilarAudio -OutputDirectory $Out -Top 10)
        $fresh.Count | Should -Be 3
        $fresh.EmbeddingPath | ForEach-Object { Split-Path -Parent $_ } | Sort-Object -Unique | Should -Be $TorchDir
        @(Get-AudioEmbedding -LiteralPath (Join-Path $Audio 's2.wav') @Tiny | Find-SimilarAudio -OutputDirectory $Out -Top 10).EmbeddingPath |
            ForEach-Object { Split-Path -Parent $_ } | Sort-Object -Unique | Should -Be $Root
    }
}
