<#
.SYNOPSIS
    User scenarios for AAC-LC in M4A and in raw .aac (ADTS) files decoded without ffmpeg (issue #16), and HE-AAC named
    and left to ffmpeg.
.DESCRIPTION
    Self-contained: imports the built module from out/AudioEmbed, keeps the model store in a TestDrive folder
    ($env:AUDIOEMBED_HOME) with downloads forbidden ($env:AUDIOEMBED_OFFLINE = '1'), installs MusiCNN from
    ../shared/models/musicnn, and hides ffmpeg ($env:AUDIOEMBED_FFMPEG pointing to a path that does not exist) for the
    "no ffmpeg" scenarios. Making the AAC file needs ffmpeg (its own AAC encoder); skipped with a reason without it.
    Tolerance: cosine >= 0.99999 between the managed and the ffmpeg path (the samples agree within 3.6e-7).
    Run: Invoke-Pester tests/Pester/M4aAac.Tests.ps1 (Pester 5).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    # The module imported, the store in TestDrive, downloads off, the user's Hugging Face settings out of the way.
    $Saved = Initialize-TestEnvironment -StorePath (Join-Path $TestDrive 'store')

    $SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
    $Song = Join-Path $SharedRoot 'audio/Kevin_MacLeod_-_Vibe_Ace.ogg'
    $Checkpoints = Join-Path $SharedRoot 'models/musicnn'
    $HasShared = (Test-Path -LiteralPath $Song) -and (Test-Path -LiteralPath (Join-Path $Checkpoints 'MTT_musicnn.h5'))
    $FFmpeg = Get-Command ffmpeg -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1

    $NoFFmpeg = Join-Path $TestDrive 'no-such-folder/ffmpeg'

    if ($HasShared) {
        Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath $Checkpoints -WarningAction SilentlyContinue | Out-Null
    }
    $Aac = $null
    if ($HasShared -and $FFmpeg) {
        $Aac = Join-Path $TestDrive 'vibe-ace.m4a'
        & $FFmpeg.Source -nostdin -v error -y -i $Song -vn -t 20 -c:a aac -b:a 128k $Aac
        if ($LASTEXITCODE -ne 0) { throw "ffmpeg could not make the AAC test file" }
        # The same audio as raw ADTS, behind an ID3v2 tag as some tools write .aac files.
        $Adts = Join-Path $TestDrive 'vibe-ace.aac'
        & $FFmpeg.Source -nostdin -v error -y -i $Song -vn -t 20 -c:a aac -b:a 128k -f adts -id3v2_version 4 -write_id3v2 1 -metadata title=Vibe $Adts
        if ($LASTEXITCODE -ne 0) { throw "ffmpeg could not make the ADTS test file" }
    }

}

AfterAll {
    Restore-TestEnvironment $Saved
}

Describe 'AAC-LC in M4A without ffmpeg' {
    It 'embeds the .m4a with -Decoder Managed and with the default decoder when ffmpeg is not found' {
        if (-not $Aac) { Set-ItResult -Skipped -Because 'making the AAC test file needs ffmpeg and ../shared'; return }
        $env:AUDIOEMBED_FFMPEG = $NoFFmpeg
        try {
            $managed = Get-AudioEmbedding -LiteralPath $Aac -Decoder Managed
            $auto = Get-AudioEmbedding -LiteralPath $Aac
            $info = Get-AudioFileInfo -LiteralPath $Aac
        }
        finally { $env:AUDIOEMBED_FFMPEG = $Saved['AUDIOEMBED_FFMPEG'] }
        $managed.Dimension | Should -Be 753
        $auto.Vector | Should -Be $managed.Vector
        $info.Format | Should -Be 'MP4 AAC (LC)'
        $info.Decoder | Should -Be 'Managed'
        $info.SampleRate | Should -Be 22050
        $info.Duration.TotalSeconds | Should -BeGreaterThan 19.99
        $info.Duration.TotalSeconds | Should -BeLessThan 20.01
    }

    It 'gives the MusiCNN embedding of -Decoder FFmpeg within cosine 0.99999' {
        if (-not $Aac) { Set-ItResult -Skipped -Because 'the ffmpeg reference needs ffmpeg and ../shared'; return }
        $viaFFmpeg = Get-AudioEmbedding -LiteralPath $Aac -Decoder FFmpeg
        $managed = Get-AudioEmbedding -LiteralPath $Aac -Decoder Managed
        (Get-TestCosine $viaFFmpeg.Vector $managed.Vector) | Should -BeGreaterOrEqual 0.99999
    }
}

Describe 'Raw AAC (.aac, ADTS) without ffmpeg' {
    It 'embeds the .aac in process, like the ffmpeg path, and reads its headers' {
        if (-not $Aac) { Set-ItResult -Skipped -Because 'making the ADTS test file needs ffmpeg and ../shared'; return }
        [System.IO.File]::ReadAllBytes($Adts)[0..2] | Should -Be @(0x49, 0x44, 0x33) -Because 'the file starts with an ID3v2 tag'
        $viaFFmpeg = Get-AudioEmbedding -LiteralPath $Adts -Decoder FFmpeg
        $env:AUDIOEMBED_FFMPEG = $NoFFmpeg
        try {
            $auto = Get-AudioEmbedding -LiteralPath $Adts
            $info = Get-AudioFileInfo -LiteralPath $Adts
        }
        finally { $env:AUDIOEMBED_FFMPEG = $Saved['AUDIOEMBED_FFMPEG'] }
        (Get-TestCosine $viaFFmpeg.Vector $auto.Vector) | Should -BeGreaterOrEqual 0.99999
        $auto.Duration | Should -Be $viaFFmpeg.Duration -Because 'both keep every frame, the priming one included'
        $info.Format | Should -Be 'ADTS AAC (LC)'
        $info.Decoder | Should -Be 'Managed'
        $info.SampleRate | Should -Be 22050
        $info.Duration.TotalSeconds | Should -BeGreaterThan 20.0
        $info.Duration.TotalSeconds | Should -BeLessThan 20.1
    }
}
