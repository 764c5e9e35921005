#Requires -Version 7.4
<#
    User-level scenarios of the refactored model path (docs/architecture.md): frame times with -Pooling None
    (Export-EmbeddingNpy -IncludeTimes), -Layer All exported with the layers first, errors that keep their kind.
    Self-contained: a TestDrive model store ($env:AUDIOEMBED_HOME), downloads forbidden ($env:AUDIOEMBED_OFFLINE),
    MusiCNN installed from ../shared/models/musicnn and MERT from the tiny fixture ../shared/fixtures/mert.
    Skipped, with a reason, when ../shared is absent.
#>

BeforeDiscovery {
    $SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
    $HasShared = (Test-Path -LiteralPath (Join-Path $SharedRoot 'models/musicnn/MTT_musicnn.h5')) -and
                 (Test-Path -LiteralPath (Join-Path $SharedRoot 'fixtures/mert/tiny-95m-style/config.json'))
    $SkipReason = if ($HasShared) { $null } else { "'$SharedRoot' (checkpoints and fixtures) is absent" }
}

BeforeAll {
    Import-Module ([System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/AudioEmbed/AudioEmbed.psd1'))) -Force
    $SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
    $SavedHome = $env:AUDIOEMBED_HOME
    $SavedOffline = $env:AUDIOEMBED_OFFLINE
    $env:AUDIOEMBED_HOME = Join-Path $TestDrive 'home'
    $env:AUDIOEMBED_OFFLINE = '1'

    # Reads the shape and dtype of a .npy header (numpy format 1.0).
    function Get-NpyHeader([string] $Path) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $length = [BitConverter]::ToUInt16($bytes, 8)
        $header = [System.Text.Encoding]::ASCII.GetString($bytes, 10, $length)
        $shape = [regex]::Match($header, "'shape': \(([^)]*)\)").Groups[1].Value -split ',' | Where-Object { $_.Trim() } | ForEach-Object { [int]$_.Trim() }
        [pscustomobject]@{ DType = [regex]::Match($header, "'descr': '([^']*)'").Groups[1].Value; Shape = @($shape); DataOffset = 10 + $length; Bytes = $bytes }
    }

    # A mono 16-bit WAV of a 440 Hz tone.
    function New-ToneWav([string] $Path, [double] $Seconds, [int] $Rate) {
        $n = [int]($Seconds * $Rate)
        $stream = [System.IO.File]::Create($Path)
        $w = [System.IO.BinaryWriter]::new($stream)
        $w.Write([System.Text.Encoding]::ASCII.GetBytes('RIFF')); $w.Write([int](36 + 2 * $n)); $w.Write([System.Text.Encoding]::ASCII.GetBytes('WAVEfmt '))
        $w.Write([int]16); $w.Write([int16]1); $w.Write([int16]1); $w.Write([int]$Rate); $w.Write([int](2 * $Rate)); $w.Write([int16]2); $w.Write([int16]16)
        $w.Write([System.Text.Encoding]::ASCII.GetBytes('data')); $w.Write([int](2 * $n))
        for ($i = 0; $i -lt $n; $i++) { $w.Write([int16](8000 * [math]::Sin(2 * [math]::PI * 440 * $i / $Rate))) }
        $w.Dispose()
    }
}

AfterAll {
    $env:AUDIOEMBED_HOME = $SavedHome
    $env:AUDIOEMBED_OFFLINE = $SavedOffline
}

Describe 'Frame times and the -Layer All layout' -Skip:(-not $HasShared) {
    BeforeAll {
        Install-AudioEmbedModel -Model MusiCNN -SourcePath (Join-Path $SharedRoot 'models/musicnn/MTT_musicnn.h5') | Out-Null
        $Audio = Join-Path $TestDrive 'audio'
        New-Item -ItemType Directory -Path $Audio | Out-Null
        New-ToneWav (Join-Path $Audio 'tone.wav') 10 22050
        $Out = Join-Path $TestDrive 'out'
    }

    It 'gives every row of a -Pooling None sequence its start time, on the object and in <song>.times.npy' {
        $e = Get-AudioEmbedding -LiteralPath (Join-Path $Audio 'tone.wav') -Pooling None
        $e.FrameTimes.Count | Should -Be $e.Sequence.Count
        $e.FrameTimes | Should -Be @(0, (187 * 256 / 16000), (2 * 187 * 256 / 16000))
        # -Pooling None is not the default configuration: it is written to its own folder below musicnn/.
        $r = $e | Export-EmbeddingNpy -OutputDirectory $Out -IncludeTimes
        $times = Get-NpyHeader ([IO.Path]::ChangeExtension($r.OutputPath, '.times.npy'))
        $times.DType | Should -Be '<f8'
        $times.Shape | Should -Be @(3)
        [BitConverter]::ToDouble($times.Bytes, $times.DataOffset + 8) | Should -Be (187 * 256 / 16000)
        (Get-EmbeddingStatus -AudioPath $Audio -OutputDirectory $Out -Model MusiCNN -Pooling None).Orphaned | Should -Be 0
    }

    It 'exports MERT -Layer All -Pooling None as (layers, frames, hidden)' {
        $tiny = Join-Path $SharedRoot 'fixtures/mert/tiny-95m-style'
        Install-AudioEmbedModel -Model Mert -Variant MERT-v1-95M -Name tiny -SourcePath $tiny | Out-Null
        $r = Get-AudioEmbedding -LiteralPath (Join-Path $tiny 'input_1.wav') -Model Mert -Variant tiny -Layer All -Pooling None |
            Export-EmbeddingNpy -OutputDirectory $Out
        $written = Get-NpyHeader $r.OutputPath
        $reference = Get-NpyHeader (Join-Path $tiny 'hidden_states_1.npy')
        $written.Shape | Should -Be @($reference.Shape[0], $reference.Shape[-2], $reference.Shape[-1])
    }

    It 'refuses a setting the model does not have, once, with its own error id' {
        { Get-AudioEmbedding -LiteralPath (Join-Path $Audio 'tone.wav') -ChunkSeconds 10 -ErrorAction Stop } |
            Should -Throw -ErrorId 'AudioEmbed.InvalidModelSetting*'
    }
}
