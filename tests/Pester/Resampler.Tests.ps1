#Requires -Version 7.4
<#
    -Resampler (issue #14.2/#14.3) as a user meets it: a 44.1 kHz song embedded by MERT and EnCodecMAE equals the
    same model fed the upstream resampler's own 24 kHz output; -Resampler Torchaudio matches torchaudio's; the choice
    is on the object and in manifest.jsonl; 24 kHz input is never resampled.
    Run after 'dotnet build':  Invoke-Pester ./tests/Pester/Resampler.Tests.ps1
    Data: ../shared/fixtures/resample24k (joram at 44.1 kHz and libsoxr's / torchaudio's 24 kHz outputs of it) and
    the tiny MERT / EnCodecMAE checkpoints of ../shared/fixtures, installed into a TestDrive store, offline.
    Tolerance: pooled vectors within 1e-4 absolute (the models' parity tolerance; our resamplers are within 4.2e-7 of
    the fixture samples), cosine >= 0.999999.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $shared = Get-TestSharedRoot
    $HasShared = (Test-Path -LiteralPath (Join-Path $shared 'fixtures/resample24k/inputs/joram.npy')) -and
                 (Test-Path -LiteralPath (Join-Path $shared 'fixtures/mert/tiny-95m-style')) -and
                 (Test-Path -LiteralPath (Join-Path $shared 'fixtures/encodecmae/tiny-mel256/model.pt'))
    if (-not $HasShared) { Write-Warning "Resampler tests: '$shared/fixtures' (resample24k, mert, encodecmae) is absent; they are skipped." }
    $Cases = @(
        @{ Model = 'Mert'; Variant = 'tiny-95m-style'; Resampler = $null; Label = 'default (SoxrHQ)'; Fixture = 'soxr_hq'; Recorded = 'soxr_hq' }
        @{ Model = 'Mert'; Variant = 'tiny-95m-style'; Resampler = 'Torchaudio'; Label = 'Torchaudio'; Fixture = 'torchaudio'; Recorded = 'torchaudio' }
        @{ Model = 'EnCodecMAE'; Variant = 'tiny-mel256'; Resampler = $null; Label = 'default (SoxrHQ)'; Fixture = 'soxr_hq'; Recorded = 'soxr_hq' }
        @{ Model = 'EnCodecMAE'; Variant = 'tiny-mel256'; Resampler = 'Torchaudio'; Label = 'Torchaudio'; Fixture = 'torchaudio'; Recorded = 'torchaudio' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $Saved = Initialize-TestEnvironment -StorePath (Join-Path $TestDrive 'store')
    $Shared = Get-TestSharedRoot
}

AfterAll {
    Restore-TestEnvironment $Saved
}

Describe 'Get-AudioEmbedding -Resampler on a real 44.1 kHz song' -Skip:(-not $HasShared) {
    BeforeAll {
        Install-AudioEmbedModel Mert -Variant MERT-v1-95M -Name tiny-95m-style -SourcePath (Join-Path $Shared 'fixtures/mert/tiny-95m-style') | Out-Null
        Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -SourcePath (Join-Path $Shared 'fixtures/encodecmae/tiny-mel256/model.pt') | Out-Null
        $Song = Join-Path $TestDrive 'joram.wav'
        ConvertTo-TestWav -NpyPath (Join-Path $Shared 'fixtures/resample24k/inputs/joram.npy') -WavPath $Song -SampleRate 44100 | Out-Null
        $Upstream = @{}
        foreach ($fixture in 'soxr_hq', 'torchaudio') {
            $Upstream[$fixture] = Join-Path $TestDrive "joram_$fixture.wav"
            ConvertTo-TestWav -NpyPath (Join-Path $Shared "fixtures/resample24k/$fixture/joram_to_24000.npy") -WavPath $Upstream[$fixture] -SampleRate 24000 | Out-Null
        }
    }

    It '<Model>, resampler <Label>, equals the model fed the <Fixture> 24 kHz output' -ForEach $Cases {
        $choice = if ($Resampler) { @{ Resampler = $Resampler } } else { @{} }
        $ours = Get-AudioEmbedding -LiteralPath $Song -Model $Model -Variant $Variant @choice
        $reference = Get-AudioEmbedding -LiteralPath $Upstream[$Fixture] -Model $Model -Variant $Variant

        $ours.Resampler | Should -Be $Recorded
        $reference.Resampler | Should -Be 'none'
        $ours.Patches | Should -Be $reference.Patches
        Get-TestMaxAbsDiff $reference.Vector $ours.Vector | Should -BeLessOrEqual 1e-4
        Get-TestCosine $reference.Vector $ours.Vector | Should -BeGreaterOrEqual 0.999999
    }

    It 'records the choice in manifest.jsonl' {
        $out = Join-Path $TestDrive 'out'
        Get-AudioEmbedding -LiteralPath $Song -Model Mert -Variant tiny-95m-style -Resampler Torchaudio | Export-EmbeddingNpy -OutputDirectory $out
        $line = Get-Content (Join-Path $out 'mert/manifest.jsonl') | Select-Object -Last 1 | ConvertFrom-Json
        $line.resampler | Should -Be 'torchaudio'
    }

    It 'never resamples input already at 24 kHz, whatever -Resampler says' {
        $baseline = Get-AudioEmbedding -LiteralPath $Upstream['soxr_hq'] -Model EnCodecMAE -Variant tiny-mel256
        foreach ($choice in 'SoxrHQ', 'Torchaudio', 'Resampy') {
            $e = Get-AudioEmbedding -LiteralPath $Upstream['soxr_hq'] -Model EnCodecMAE -Variant tiny-mel256 -Resampler $choice
            $e.Resampler | Should -Be 'none'
            Get-TestMaxAbsDiff $baseline.Vector $e.Vector | Should -Be 0
        }
    }

    It 'refuses an unknown resampler, naming the accepted ones' {
        { Get-AudioEmbedding -LiteralPath $Song -Model Mert -Variant tiny-95m-style -Resampler Linear -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*SoxrHQ*'
    }
}
