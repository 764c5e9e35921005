<#
.SYNOPSIS
    User scenarios for the formats decoded without ffmpeg (issue #16): Ogg Vorbis and ALAC in M4A.
.DESCRIPTION
    Self-contained: imports the built module from out/AudioEmbed, keeps the model store in a TestDrive folder
    ($env:AUDIOEMBED_HOME) with downloads forbidden ($env:AUDIOEMBED_OFFLINE = '1'), installs MusiCNN from
    ../shared/models/musicnn, and hides ffmpeg ($env:AUDIOEMBED_FFMPEG pointing to a path that does not exist) for the
    "no ffmpeg" scenarios. The ALAC file and the ffmpeg reference need ffmpeg (skipped with a reason without it).
    Tolerance: cosine >= 0.999999 between the managed and the ffmpeg path (Vorbis: samples within 1e-6; ALAC: bit-exact).
    Run: Invoke-Pester tests/Pester/Formats.Tests.ps1 (Pester 5).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    # The module imported, the store in TestDrive, downloads off, the user's Hugging Face settings out of the way.
    $Saved = Initialize-TestEnvironment -StorePath (Join-Path $TestDrive 'store')

    $SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
    $Ogg = Join-Path $SharedRoot 'audio/sorohanro_-_solo-trumpet-06.ogg'
    $Checkpoints = Join-Path $SharedRoot 'models/musicnn'
    $HasShared = (Test-Path -LiteralPath $Ogg) -and (Test-Path -LiteralPath (Join-Path $Checkpoints 'MTT_musicnn.h5'))
    $FFmpeg = Get-Command ffmpeg -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1

    $NoFFmpeg = Join-Path $TestDrive 'no-such-folder/ffmpeg'

    if ($HasShared) {
        Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath $Checkpoints -WarningAction SilentlyContinue | Out-Null
    }
    $Alac = $null
    if ($HasShared -and $FFmpeg) {
        $Alac = Join-Path $TestDrive 'trumpet.m4a'
        & $FFmpeg.Source -nostdin -v error -y -i $Ogg -c:a alac -sample_fmt s16p $Alac
        if ($LASTEXITCODE -ne 0) { throw "ffmpeg could not make the ALAC test file" }
    }

}

AfterAll {
    Restore-TestEnvironment $Saved
}

Describe 'Ogg Vorbis and ALAC without ffmpeg' {
    BeforeEach { $env:AUDIOEMBED_FFMPEG = $NoFFmpeg }
    AfterEach { $env:AUDIOEMBED_FFMPEG = $Saved['AUDIOEMBED_FFMPEG'] }

    It 'embeds an Ogg Vorbis song with -Decoder Managed when ffmpeg is not found' {
        if (-not $HasShared) { Set-ItResult -Skipped -Because "../shared (songs and the MusiCNN checkpoint) is absent ($SharedRoot)"; return }
        $e = Get-AudioEmbedding -LiteralPath $Ogg -Decoder Managed
        $e.Dimension | Should -Be 753
        $e.SampleRate | Should -Be 22050
        $e.Vector | Where-Object { [float]::IsNaN($_) } | Should -BeNullOrEmpty
    }

    It 'loads NVorbis from the module''s dependencies folder, in the module''s own load context' {
        if (-not $HasShared) { Set-ItResult -Skipped -Because "../shared is absent ($SharedRoot)"; return }
        $null = Get-AudioFileInfo -LiteralPath $Ogg -Decoder Managed
        $nvorbis = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'NVorbis' }
        $nvorbis | Should -HaveCount 1
        $nvorbis.Location | Should -BeLike '*dependencies*NVorbis.dll'
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($nvorbis).Name | Should -Not -Be 'Default'
    }

    It 'embeds it with the default decoder too (Vorbis never needs ffmpeg)' {
        if (-not $HasShared) { Set-ItResult -Skipped -Because "../shared is absent ($SharedRoot)"; return }
        $auto = Get-AudioEmbedding -LiteralPath $Ogg
        $managed = Get-AudioEmbedding -LiteralPath $Ogg -Decoder Managed
        $auto.Vector | Should -Be $managed.Vector
    }

    It 'embeds an ALAC .m4a with -Decoder Managed when ffmpeg is not found' {
        if (-not $Alac) { Set-ItResult -Skipped -Because 'making the ALAC test file needs ffmpeg and ../shared'; return }
        $e = Get-AudioEmbedding -LiteralPath $Alac -Decoder Managed
        $e.Dimension | Should -Be 753
    }

    It 'reads their headers with Get-AudioFileInfo -Decoder Managed' {
        if (-not $Alac) { Set-ItResult -Skipped -Because 'making the ALAC test file needs ffmpeg and ../shared'; return }
        $info = Get-AudioFileInfo -LiteralPath $Ogg, $Alac -Decoder Managed
        $info[0].Format | Should -Be 'Ogg Vorbis'
        $info[0].Duration.TotalSeconds | Should -BeGreaterThan 5.3
        $info[1].Format | Should -Be 'MP4 ALAC'
        $info[1].BitsPerSample | Should -Be 16
        $info | ForEach-Object { $_.Decoder | Should -Be 'Managed' }
    }

    It 'still names the codec when a file needs ffmpeg (Ogg Opus)' {
        if (-not $FFmpeg -or -not $HasShared) { Set-ItResult -Skipped -Because 'making the Opus test file needs ffmpeg and ../shared'; return }
        $opus = Join-Path $TestDrive 'trumpet.opus'
        $env:AUDIOEMBED_FFMPEG = $Saved['AUDIOEMBED_FFMPEG']
        & $FFmpeg.Source -nostdin -v error -y -i $Ogg -c:a libopus -f ogg $opus
        $env:AUDIOEMBED_FFMPEG = $NoFFmpeg
        $null = Get-AudioEmbedding -LiteralPath $opus -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].Exception.Message | Should -Match 'Ogg Opus audio'
        $failed[0].Exception.Message | Should -Match 'needs ffmpeg'
    }
}

Describe 'The managed path matches the ffmpeg path' {
    It 'gives MusiCNN embeddings within cosine 0.999999 of -Decoder FFmpeg (Ogg), identical ones (ALAC)' {
        if (-not $Alac) { Set-ItResult -Skipped -Because 'the ffmpeg reference needs ffmpeg and ../shared'; return }
        foreach ($file in $Ogg, $Alac) {
            $viaFFmpeg = Get-AudioEmbedding -LiteralPath $file -Decoder FFmpeg
            $managed = Get-AudioEmbedding -LiteralPath $file -Decoder Managed
            (Get-TestCosine $viaFFmpeg.Vector $managed.Vector) | Should -BeGreaterOrEqual 0.999999
        }
        (Get-AudioEmbedding -LiteralPath $Alac -Decoder Managed).Vector | Should -Be (Get-AudioEmbedding -LiteralPath $Alac -Decoder FFmpeg).Vector
    }
}
