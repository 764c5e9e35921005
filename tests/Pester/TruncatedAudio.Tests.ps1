#Requires -Version 7.4
<#
    Truncated audio (issue #14.6) as a user meets it: a file cut short by an interrupted copy still embeds, with a
    warning naming the file and both durations, and the AudioEmbedding says so.
    Run after 'dotnet build':  Invoke-Pester ./tests/Pester/TruncatedAudio.Tests.ps1
    The cut files are made here from real files of ../shared (a FLAC fixture and a WAV fixture); MusiCNN is installed
    from ../shared/models/musicnn into a TestDrive store, offline.
#>

BeforeDiscovery {
    $sharedRoot = Join-Path $PSScriptRoot '../../../shared'
    $HasShared = (Test-Path -LiteralPath (Join-Path $sharedRoot 'models/musicnn/MTT_musicnn.h5')) -and
                 (Test-Path -LiteralPath (Join-Path $sharedRoot 'fixtures/flac/subset-01-blocksize_4096.flac'))
    if (-not $HasShared) { Write-Warning "TruncatedAudio tests: '$sharedRoot' is absent; they are skipped." }
}

BeforeAll {
    $ModuleManifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/AudioEmbed/AudioEmbed.psd1'))
    if (-not (Test-Path -LiteralPath $ModuleManifest)) { throw "The module is not built: '$ModuleManifest' is missing. Run 'dotnet build' first." }
    Import-Module $ModuleManifest -Force
    $SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))

    $SavedHome = $env:AUDIOEMBED_HOME
    $SavedOffline = $env:AUDIOEMBED_OFFLINE
    $env:AUDIOEMBED_HOME = Join-Path $TestDrive 'store'
    $env:AUDIOEMBED_OFFLINE = '1'

    # The first $Fraction of a file's bytes, as a new file: what an interrupted copy leaves.
    function New-CutCopy([string] $Source, [double] $Fraction, [string] $Name) {
        $bytes = [System.IO.File]::ReadAllBytes($Source)
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllBytes($path, $bytes[0..([int]($bytes.Length * $Fraction) - 1)])
        $path
    }
}

AfterAll {
    $env:AUDIOEMBED_HOME = $SavedHome
    $env:AUDIOEMBED_OFFLINE = $SavedOffline
    Remove-Module AudioEmbed -Force -ErrorAction SilentlyContinue
}

Describe 'Truncated audio' -Skip:(-not $HasShared) {
    BeforeAll {
        Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath (Join-Path $SharedRoot 'models/musicnn/MTT_musicnn.h5') | Out-Null
        $Flac = Join-Path $SharedRoot 'fixtures/flac/subset-01-blocksize_4096.flac'
        $Wav = Join-Path $SharedRoot 'fixtures/wav/ext_float32_stereo_32000.wav'
    }

    It 'a cut <Kind> file still embeds, with a warning naming the file and both durations' -ForEach @(
        @{ Kind = 'FLAC'; Source = 'fixtures/flac/subset-01-blocksize_4096.flac'; Name = 'cut song.flac' }
        @{ Kind = 'WAV'; Source = 'fixtures/wav/ext_float32_stereo_32000.wav'; Name = 'cut song.wav' }
    ) {
        $complete = Join-Path $SharedRoot $Source
        $cut = New-CutCopy $complete 0.5 $Name
        $whole = Get-AudioEmbedding -LiteralPath $complete -WarningVariable noWarnings
        $noWarnings | Should -BeNullOrEmpty
        $whole.Truncated | Should -BeFalse

        $e = Get-AudioEmbedding -LiteralPath $cut -WarningVariable warnings -WarningAction SilentlyContinue
        $e | Should -Not -BeNullOrEmpty
        $e.Dimension | Should -Be $whole.Dimension
        $e.Truncated | Should -BeTrue
        $e.DeclaredDuration.TotalSeconds | Should -BeGreaterThan $e.Duration.TotalSeconds
        [math]::Abs($e.DeclaredDuration.TotalSeconds - $whole.Duration.TotalSeconds) | Should -BeLessThan 0.001
        $warnings.Count | Should -Be 1
        $message = "$($warnings[0])"
        $message | Should -BeLike 'AudioEmbed.TruncatedAudio*'
        $message | Should -BeLike "*$cut*"
        $message | Should -Match ([regex]::Escape(('{0}:{1:00}.' -f [int][math]::Floor($e.Duration.TotalMinutes), $e.Duration.Seconds)))
        $message | Should -Match ([regex]::Escape(('{0}:{1:00}.' -f [int][math]::Floor($whole.Duration.TotalMinutes), $whole.Duration.Seconds)))
    }

    It 'the pipeline goes on to the next file and exports the cut one too' {
        $cut = New-CutCopy $Flac 0.4 'cut-for-export.flac'
        $out = Join-Path $TestDrive 'embeddings'
        $results = Get-AudioEmbedding -LiteralPath $cut, $Wav -WarningAction SilentlyContinue | Export-EmbeddingNpy -OutputDirectory $out
        $results.Count | Should -Be 2
        Test-Path -LiteralPath (Join-Path $out 'musicnn/cut-for-export.npy') | Should -BeTrue
    }
}
