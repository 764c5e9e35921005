#Requires -Version 7.4
<#
    Several models in one pass (issue #15.1) as a user runs it: Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE
    over a folder, piped to Export-EmbeddingNpy, then again with -SkipExisting after adding a song.
    Run after 'dotnet build':  Invoke-Pester ./tests/Pester/MultiModel.Tests.ps1
    MusiCNN comes from ../shared/models/musicnn, MERT and EnCodecMAE from the tiny checkpoints of ../shared/fixtures
    (installed under custom names), into a TestDrive store, offline. The songs: a 44.1 kHz FLAC (../shared/fixtures/flac)
    and the real MP3 song of ../shared/audio.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $shared = Get-TestSharedRoot
    $HasShared = (Test-Path -LiteralPath (Join-Path $shared 'models/musicnn/MTT_musicnn.h5')) -and
                 (Test-Path -LiteralPath (Join-Path $shared 'fixtures/mert/tiny-95m-style')) -and
                 (Test-Path -LiteralPath (Join-Path $shared 'fixtures/encodecmae/tiny-mel256/model.pt')) -and
                 (Test-Path -LiteralPath (Join-Path $shared 'fixtures/flac/subset-01-blocksize_4096.flac'))
    if (-not $HasShared) { Write-Warning "MultiModel tests: '$shared' lacks the checkpoints or songs they need; they are skipped." }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $Saved = Initialize-TestEnvironment -StorePath (Join-Path $TestDrive 'home')
    $Shared = Get-TestSharedRoot
    $Music = Join-Path $TestDrive 'music'
    New-Item -ItemType Directory -Path $Music | Out-Null
    Copy-Item (Join-Path $Shared 'fixtures/flac/subset-01-blocksize_4096.flac') (Join-Path $Music 'a-flac-song.flac')
    $Out = Join-Path $TestDrive 'embeddings'
    $Pairs = @{ Variant = 'Mert=tiny-95m-style', 'EnCodecMAE=tiny-mel256' }
}

AfterAll {
    Restore-TestEnvironment $Saved
}

Describe 'Get-AudioEmbedding with several models' -Skip:(-not $HasShared) {
    BeforeAll {
        Install-AudioEmbedModel MusiCNN -Variant MTT_musicnn -SourcePath (Join-Path $Shared 'models/musicnn/MTT_musicnn.h5') | Out-Null
        Install-AudioEmbedModel Mert -Variant MERT-v1-95M -Name tiny-95m-style -SourcePath (Join-Path $Shared 'fixtures/mert/tiny-95m-style') -WarningAction SilentlyContinue | Out-Null
        Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -SourcePath (Join-Path $Shared 'fixtures/encodecmae/tiny-mel256/model.pt') -WarningAction SilentlyContinue | Out-Null
    }

    It 'embeds a folder with three models in one pass, file by file, each into its model folder' {
        $results = Get-ChildItem $Music -File | Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE @Pairs
        $results.Model | Should -Be @('MusiCNN', 'Mert', 'EnCodecMAE')
        $results.Variant | Should -Be @('MTT_musicnn', 'tiny-95m-style', 'tiny-mel256')
        $written = $results | Export-EmbeddingNpy -OutputDirectory $Out
        $written.Status | Should -Be @('Written', 'Written', 'Written')
        foreach ($folder in 'musicnn', 'mert', 'encodecmae') {
            ($written.OutputPath -like (Join-Path $Out $folder '*')).Count | Should -Be 1 -Because "one file lands in $folder"
        }
        (Read-TestNpy ($written | Where-Object OutputPath -like "*musicnn*").OutputPath).Shape | Should -Be @(753)
    }

    It 'gives each model the same embedding as a run of that model alone' {
        $file = Get-ChildItem $Music -File | Select-Object -First 1
        $multi = $file | Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE @Pairs -Layer MusiCNN=taggram
        $alone = @(
            $file | Get-AudioEmbedding -Model MusiCNN -Layer taggram
            $file | Get-AudioEmbedding -Model Mert -Variant tiny-95m-style
            $file | Get-AudioEmbedding -Model EnCodecMAE -Variant tiny-mel256
        )
        for ($i = 0; $i -lt 3; $i++) {
            $multi[$i].Layer | Should -Be $alone[$i].Layer
            [System.Linq.Enumerable]::SequenceEqual([float[]]$multi[$i].Vector, [float[]]$alone[$i].Vector) | Should -BeTrue -Because "$($alone[$i].Model) is bit for bit its single-model result"
        }
    }

    It 'with -SkipExisting computes only what is missing, model by model' {
        Copy-Item (Join-Path $Shared 'audio/TRWJAZW128F42760DD_test.mp3') (Join-Path $Music 'b-mp3-song.mp3')
        # MusiCNN also done for the new song: only MERT and EnCodecMAE are left for it.
        Get-Item (Join-Path $Music 'b-mp3-song.mp3') | Get-AudioEmbedding -Model MusiCNN | Export-EmbeddingNpy -OutputDirectory $Out | Out-Null
        $results = Get-ChildItem $Music -File | Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE @Pairs -SkipExisting -OutputDirectory $Out
        @($results | ForEach-Object { "$($_.Name)/$($_.Model)" }) | Should -Be @('b-mp3-song/Mert', 'b-mp3-song/EnCodecMAE')
    }

    It 'reports a bad file once per model and goes on with the next' {
        $bad = Join-Path $TestDrive 'not-audio.mp3'
        Set-Content -LiteralPath $bad -Value ('not audio at all ' * 200)
        $results = Get-AudioEmbedding -LiteralPath $bad, (Join-Path $Music 'a-flac-song.flac') -Model MusiCNN, Mert -Variant Mert=tiny-95m-style -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 2
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.AudioDecodeFailed*' }
        ($failures | ForEach-Object { $_.ErrorDetails.Message.Split(':')[0] }) | Should -Be @('MusiCNN', 'Mert')
        $results.Model | Should -Be @('MusiCNN', 'Mert')
    }

    It '-Resampler Mert=Torchaudio changes MERT only, whose files go to their own folder; -SkipExisting follows it' {
        $results = Get-ChildItem $Music -File | Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE @Pairs -Resampler Mert=Torchaudio
        @($results | ForEach-Object { "$($_.Model)/$($_.ResamplingRecipe)" } | Sort-Object -Unique) |
            Should -Be @('EnCodecMAE/soxr_hq', 'Mert/torchaudio', 'MusiCNN/resampy-0.4.2')
        $defaultMert = Get-FileHash (Join-Path $Out 'mert/tiny-95m-style.last.mean/a-flac-song.npy')
        $written = $results | Export-EmbeddingNpy -OutputDirectory $Out -ErrorAction Stop
        $written.Status | Should -Not -Contain 'Failed'
        ($written | Where-Object OutputPath -like '*tiny-95m-style.last.mean.torchaudio*').Count | Should -Be 2
        (Get-FileHash (Join-Path $Out 'mert/tiny-95m-style.last.mean/a-flac-song.npy')).Hash | Should -Be $defaultMert.Hash
        # Everything is there now, in each model's own configuration.
        @(Get-ChildItem $Music -File | Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE @Pairs -Resampler Mert=Torchaudio -SkipExisting -OutputDirectory $Out) |
            Should -HaveCount 0
        # A plain value still applies to every model: none of them has torchaudio files yet but MERT.
        $plain = @(Get-ChildItem $Music -File | Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE @Pairs -Resampler Torchaudio -SkipExisting -OutputDirectory $Out)
        @($plain.Model | Sort-Object -Unique) | Should -Be @('EnCodecMAE', 'MusiCNN')
    }

    It 'stops with one clear error for a pair naming an unknown model' {
        { Get-AudioEmbedding -LiteralPath (Join-Path $Music 'a-flac-song.flac') -Model MusiCNN, Mert -Variant Mert=tiny-95m-style, Nope=x } |
            Should -Throw -ErrorId 'AudioEmbed.InvalidModelChoice*' -ExpectedMessage "*Unknown model 'Nope'*"
    }
}
