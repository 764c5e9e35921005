#Requires -Version 7.4
<#
    End-to-end tests of the AudioEmbed module as its users drive it (Pester 5).
    Run after 'dotnet build' from the repository root:  Invoke-Pester ./tests/Pester
    The model store is a TestDrive folder ($env:AUDIOEMBED_HOME) and downloads are forbidden
    ($env:AUDIOEMBED_OFFLINE = '1'): MusiCNN is installed from ../shared/models/musicnn, and the audio is
    the reference 16 kHz waveforms of ../shared/fixtures/musicnn written as WAV files. Tests that need
    ../shared are skipped, with a warning, when it is absent.
    Numerical tolerance: 2e-3 absolute (fixtures/musicnn/README.md: end to end from the audio, with the
    resampler matching the reference's resampy tables; the measured differences are about 1e-6).
#>

BeforeDiscovery {
    $sharedRoot = Join-Path $PSScriptRoot '../../../shared'
    $HasShared = (Test-Path -LiteralPath (Join-Path $sharedRoot 'models/musicnn/MTT_musicnn.h5')) -and
                 (Test-Path -LiteralPath (Join-Path $sharedRoot 'fixtures/musicnn/README.md'))
    if (-not $HasShared) {
        Write-Warning "AudioEmbed tests: '$sharedRoot' (checkpoints and reference fixtures) is absent; the tests that need it are skipped."
    }
    $Songs = @(
        @{ Song = 'TRWJAZW128F42760DD_test'; Patches = 10 }
        @{ Song = 'joram-moments_of_clarity-08-solipsism-59-88'; Patches = 9 }
    )
    $Cmdlets = @(
        @{ Cmdlet = 'Get-AudioEmbedding' }
        @{ Cmdlet = 'Export-EmbeddingNpy' }
        @{ Cmdlet = 'Import-EmbeddingNpy' }
        @{ Cmdlet = 'Get-EmbeddingStatus' }
        @{ Cmdlet = 'Install-AudioEmbedModel' }
        @{ Cmdlet = 'Get-AudioEmbedModel' }
    )
}

BeforeAll {
    $ModuleManifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/AudioEmbed/AudioEmbed.psd1'))
    if (-not (Test-Path -LiteralPath $ModuleManifest)) {
        throw "The module is not built: '$ModuleManifest' is missing. Run 'dotnet build' at the repository root first."
    }
    Import-Module $ModuleManifest -Force

    $SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
    $CheckpointDir = Join-Path $SharedRoot 'models/musicnn'
    $FixtureDir = Join-Path $SharedRoot 'fixtures/musicnn'
    $Tolerance = 2e-3
    $MusicnnVariants = 'MTT_musicnn', 'MSD_musicnn', 'MTT_vgg', 'MSD_vgg'

    $SavedHome = $env:AUDIOEMBED_HOME
    $SavedOffline = $env:AUDIOEMBED_OFFLINE
    $env:AUDIOEMBED_OFFLINE = '1'

    # Reads a little-endian float32/float64 .npy (C order) written by numpy: shape and values as float[].
    function Read-TestNpy {
        param([Parameter(Mandatory)][string] $Path)
        $Path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        if ($bytes.Length -lt 10 -or $bytes[0] -ne 0x93 -or [System.Text.Encoding]::ASCII.GetString($bytes, 1, 5) -ne 'NUMPY') {
            throw "'$Path' is not a .npy file"
        }
        if ($bytes[6] -eq 1) { $headerLength = [BitConverter]::ToUInt16($bytes, 8); $start = 10 }
        else { $headerLength = [int][BitConverter]::ToUInt32($bytes, 8); $start = 12 }
        $header = [System.Text.Encoding]::ASCII.GetString($bytes, $start, $headerLength)
        if ($header -notmatch "'descr':\s*'([<|=]?)(f[48])'") { throw "'$Path' is not little-endian float32/float64: $header" }
        $descr = $Matches[1] + $Matches[2]
        $kind = $Matches[2]
        if ($header -match "'fortran_order':\s*True") { throw "'$Path' is Fortran-ordered" }
        if ($header -notmatch "'shape':\s*\(([^)]*)\)") { throw "'$Path' has no shape: $header" }
        [int[]] $shape = @($Matches[1] -split ',' | Where-Object { $_.Trim() } | ForEach-Object { [int]$_.Trim() })
        $count = 1; foreach ($d in $shape) { $count *= $d }
        $offset = $start + $headerLength
        $values = [float[]]::new($count)
        if ($kind -eq 'f4') {
            [System.Buffer]::BlockCopy($bytes, $offset, $values, 0, $count * 4)
        }
        else {
            $doubles = [double[]]::new($count)
            [System.Buffer]::BlockCopy($bytes, $offset, $doubles, 0, $count * 8)
            for ($i = 0; $i -lt $count; $i++) { $values[$i] = [float]$doubles[$i] }
        }
        [pscustomobject]@{ Shape = $shape; Descr = $descr; Values = $values }
    }

    # Writes interleaved float32 samples as an IEEE-float WAV file (format tag 3).
    function Write-TestWav {
        param(
            [Parameter(Mandatory)][string] $Path,
            [Parameter(Mandatory)][float[]] $Samples,
            [int] $SampleRate = 16000,
            [int] $Channels = 1
        )
        $Path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
        $dataBytes = $Samples.Length * 4
        $stream = [System.IO.File]::Create($Path)
        $writer = [System.IO.BinaryWriter]::new($stream)
        try {
            $ascii = [System.Text.Encoding]::ASCII
            $writer.Write($ascii.GetBytes('RIFF')); $writer.Write([uint32](36 + $dataBytes)); $writer.Write($ascii.GetBytes('WAVE'))
            $writer.Write($ascii.GetBytes('fmt ')); $writer.Write([uint32]16)
            $writer.Write([uint16]3); $writer.Write([uint16]$Channels); $writer.Write([uint32]$SampleRate)
            $writer.Write([uint32]($SampleRate * $Channels * 4)); $writer.Write([uint16]($Channels * 4)); $writer.Write([uint16]32)
            $writer.Write($ascii.GetBytes('data')); $writer.Write([uint32]$dataBytes)
            $data = [byte[]]::new($dataBytes)
            [System.Buffer]::BlockCopy($Samples, 0, $data, 0, $dataBytes)
            $writer.Write($data)
        }
        finally { $writer.Dispose() }
    }

    # A fixture .npy (frames,) or (frames, channels) written as a WAV at the given rate.
    function ConvertTo-TestWav {
        param([string] $NpyPath, [string] $WavPath, [int] $SampleRate = 16000)
        $npy = Read-TestNpy $NpyPath
        $channels = if ($npy.Shape.Length -eq 2) { $npy.Shape[1] } else { 1 }
        Write-TestWav -Path $WavPath -Samples $npy.Values -SampleRate $SampleRate -Channels $channels
        Get-Item -LiteralPath $WavPath
    }

    # Mean over the rows of a (rows, dim) array.
    function Get-TestRowMean {
        param([Parameter(Mandatory)] $Npy)
        $rows = $Npy.Shape[0]; $dim = $Npy.Shape[1]
        $mean = [double[]]::new($dim)
        for ($r = 0; $r -lt $rows; $r++) {
            for ($c = 0; $c -lt $dim; $c++) { $mean[$c] += $Npy.Values[$r * $dim + $c] }
        }
        for ($c = 0; $c -lt $dim; $c++) { $mean[$c] /= $rows }
        , $mean
    }

    # Largest absolute difference between two equally long vectors.
    function Get-TestMaxAbsDiff {
        param([Parameter(Mandatory)] $Expected, [Parameter(Mandatory)] $Actual)
        if ($Expected.Count -ne $Actual.Count) { throw "length $($Actual.Count) differs from the expected $($Expected.Count)" }
        $max = 0.0
        for ($i = 0; $i -lt $Expected.Count; $i++) {
            $d = [math]::Abs([double]$Expected[$i] - [double]$Actual[$i])
            if ($d -gt $max) { $max = $d }
        }
        $max
    }

    # A few seconds of a 440 Hz sine: real audio that needs no fixture.
    function New-TestTone {
        param([Parameter(Mandatory)][string] $Path, [double] $Seconds = 4)
        $n = [int](16000 * $Seconds)
        $samples = [float[]]::new($n)
        for ($i = 0; $i -lt $n; $i++) { $samples[$i] = [float](0.5 * [math]::Sin(2 * [math]::PI * 440 * $i / 16000)) }
        Write-TestWav -Path $Path -Samples $samples
    }

    # Element-wise maximum over the rows of a (rows, dim) array.
    function Get-TestRowMax {
        param([Parameter(Mandatory)] $Npy)
        $rows = $Npy.Shape[0]; $dim = $Npy.Shape[1]
        $max = [double[]]::new($dim)
        for ($c = 0; $c -lt $dim; $c++) { $max[$c] = [double]::NegativeInfinity }
        for ($r = 0; $r -lt $rows; $r++) {
            for ($c = 0; $c -lt $dim; $c++) { $max[$c] = [math]::Max($max[$c], $Npy.Values[$r * $dim + $c]) }
        }
        , $max
    }

    # The MagnaTagATune tag names in model output order, from the catalog shipped with the module.
    function Get-TestMttLabels {
        $catalog = Get-Content -Raw -LiteralPath (Join-Path (Get-Module AudioEmbed).ModuleBase 'models/catalog.json') | ConvertFrom-Json
        , [string[]](($catalog.families | Where-Object name -eq 'MusiCNN').labels.MTT)
    }
}

AfterAll {
    $env:AUDIOEMBED_HOME = $SavedHome
    $env:AUDIOEMBED_OFFLINE = $SavedOffline
    Remove-Module AudioEmbed -ErrorAction SilentlyContinue
}

Describe 'Get-Help' {
    It 'Get-Help <Cmdlet> -Full has a synopsis, every parameter described and at least three examples' -ForEach $Cmdlets {
        $help = Get-Help -Name $Cmdlet -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without a help file, PowerShell makes the synopsis from the syntax ("Get-AudioEmbedding [-Path] <string[]> ...").
        $help.Synopsis.Trim() | Should -Not -BeLike "$Cmdlet *"

        $common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
        $declared = (Get-Command -Name $Cmdlet).Parameters.Keys | Where-Object { $_ -notin $common }
        $declared | Should -Not -BeNullOrEmpty
        foreach ($name in $declared) {
            $documented = @($help.parameters.parameter) | Where-Object { $_.name -eq $name }
            $documented | Should -Not -BeNullOrEmpty -Because "-$name of $Cmdlet must be documented"
            (@($documented.description) | ForEach-Object { $_.Text }) -join '' | Should -Not -BeNullOrEmpty -Because "-$name of $Cmdlet needs a description"
        }

        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            (@($example.remarks) | ForEach-Object { $_.Text }) -join '' | Should -Not -BeNullOrEmpty -Because "every example of $Cmdlet needs remarks"
        }
    }

    It 'Get-Help about_AudioEmbed explains the store, offline installs and the error ids' {
        $about = (Get-Help -Name about_AudioEmbed | Out-String)
        $about | Should -Match 'AUDIOEMBED_HOME'
        $about | Should -Match 'AUDIOEMBED_OFFLINE'
        $about | Should -Match 'AudioEmbed\.ModelUnavailable'
        $about | Should -Match '--skip_existing'
    }
}

Describe 'Get-AudioEmbedDevice' {
    It 'reports every device, the CPU available, the others with what to install' {
        $devices = Get-AudioEmbedDevice
        $devices.Device | Should -Be @('Cuda', 'DirectML', 'CoreML', 'Cpu')
        ($devices | Where-Object Device -eq 'Cpu').Available | Should -BeTrue
        $devices | Where-Object { -not $_.Available } | ForEach-Object { $_.Reason | Should -Not -BeNullOrEmpty }
    }

    It '-Device Auto reports the device Get-AudioEmbedding -Device Auto would use' {
        $auto = Get-AudioEmbedDevice -Device Auto
        $auto.Available | Should -BeTrue
        $auto.Device | Should -Be (Get-AudioEmbedDevice -Available | Select-Object -First 1).Device
    }
}

Describe 'Model store errors (no checkpoint needed)' {
    BeforeAll {
        $env:AUDIOEMBED_HOME = Join-Path $TestDrive 'store'
        $Tone = Join-Path $TestDrive 'tone.wav'
        New-TestTone -Path $Tone
    }

    It 'a model that is not installed stops with a message naming Install-AudioEmbedModel' {
        $err = { Get-AudioEmbedding -LiteralPath $Tone } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.ModelUnavailable*'
        $err.Exception.Message | Should -Match 'Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn'
        $err.Exception.Message | Should -Match 'AUDIOEMBED_OFFLINE'
    }

    It '<Model> has no pinned checkpoint hash yet, so it is not downloaded blindly' -ForEach @(@{ Model = 'Mert' }, @{ Model = 'EnCodecMAE' }) {
        $err = { Get-AudioEmbedding -LiteralPath $Tone -Model $Model } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.ModelUnavailable*'
        # MERT's non-commercial licence is asked for first; EnCodecMAE stops at the missing pinned hash.
        $err.Exception.Message | Should -Match $(if ($Model -eq 'Mert') { 'AcceptLicense' } else { 'pins no SHA-256' })
        $err.Exception.Message | Should -Match "Install-AudioEmbedModel -Model $Model"

        $variants = @(Get-AudioEmbedModel -Model $Model)
        $variants | Should -HaveCount 2
        $variants.Available | Should -Not -Contain $false
    }

    It '-Precision Int8 (EnCodecMAE) stays close to float32; MusiCNN refuses it' {
        $fixture = Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'encodecmae' 'tiny-mel256'
        if (-not (Test-Path $fixture)) { Set-ItResult -Skipped -Because "the shared fixtures are absent ($fixture)"; return }
        $store = Join-Path $TestDrive 'int8-store'
        Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-int8 -SourcePath (Join-Path $fixture 'model.pt') -ModelPath $store -WarningAction SilentlyContinue | Out-Null
        $wav = Join-Path $fixture 'input.wav'
        $f = (Get-AudioEmbedding -LiteralPath $wav -Model EnCodecMAE -Variant tiny-int8 -ModelPath $store -Precision Float32).Vector
        $q = (Get-AudioEmbedding -LiteralPath $wav -Model EnCodecMAE -Variant tiny-int8 -ModelPath $store -Precision Int8).Vector
        $dot = 0.0; $ff = 0.0; $qq = 0.0
        for ($i = 0; $i -lt $f.Count; $i++) { $dot += $f[$i] * $q[$i]; $ff += $f[$i] * $f[$i]; $qq += $q[$i] * $q[$i] }
        $dot / [Math]::Sqrt($ff * $qq) | Should -BeGreaterOrEqual 0.9995

        $err = { Get-AudioEmbedding -LiteralPath $wav -Model MusiCNN -Precision Int8 -ModelPath $store } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.PrecisionUnsupported*'
    }

    It 'MERT (CC-BY-NC-4.0) installs only with -AcceptLicense, and the licence is shown' {
        $fixture = Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'mert' 'tiny-95m-style'
        if (-not (Test-Path $fixture)) { Set-ItResult -Skipped -Because "the shared fixtures are absent ($fixture)"; return }
        $store = Join-Path $TestDrive 'license-store'
        $null = Install-AudioEmbedModel -Model Mert -SourcePath $fixture -ModelPath $store -ErrorVariable licenseErrors -ErrorAction SilentlyContinue -InformationVariable notice
        $licenseErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.LicenseNotAccepted*'
        ($notice -join ' ') | Should -Match 'CC-BY-NC-4.0'
        Test-Path (Join-Path $store 'models/mert/MERT-v1-95M') | Should -BeFalse

        $status = Install-AudioEmbedModel -Model Mert -SourcePath $fixture -ModelPath $store -AcceptLicense -WarningAction SilentlyContinue
        $status.Installed | Should -BeTrue
        (Get-Content -Raw (Join-Path $status.Location 'manifest.json') | ConvertFrom-Json).licenseAcceptedUtc | Should -Not -BeNullOrEmpty
    }

    It 'EnCodecMAE installs from a local checkpoint under a custom name and matches the upstream features' {
        $fixture = Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'encodecmae' 'tiny-mel256'
        if (-not (Test-Path $fixture)) { Set-ItResult -Skipped -Because "the shared fixtures are absent ($fixture)"; return }
        Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -SourcePath (Join-Path $fixture 'model.pt') -WarningAction SilentlyContinue | Out-Null
        $e = Get-AudioEmbedding -LiteralPath (Join-Path $fixture 'input.wav') -Model EnCodecMAE -Variant tiny-mel256
        $reference = Read-TestNpy (Join-Path $fixture 'mean_pooled.npy')
        Get-TestMaxAbsDiff $reference.Values $e.Vector | Should -BeLessOrEqual 1e-4
    }

    It 'a checkpoint with the wrong SHA-256 is rejected and nothing is installed' {
        $source = Join-Path $TestDrive 'not-a-checkpoint'
        New-Item -ItemType Directory -Path $source -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $source 'MTT_musicnn.h5') -Value 'this is not the pinned checkpoint'

        $installed = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath $source -ErrorVariable installErrors -ErrorAction SilentlyContinue

        $installed | Should -BeNullOrEmpty
        $installErrors | Should -HaveCount 1
        $installErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.InstallFailed*'
        $installErrors[0].Exception.Message | Should -Match 'SHA-256'
        $installErrors[0].Exception.Message | Should -Match 'Nothing was installed'
        Get-AudioEmbedModel -Model MusiCNN -Installed | Should -BeNullOrEmpty
        Join-Path $env:AUDIOEMBED_HOME 'models/musicnn/MTT_musicnn' | Should -Not -Exist
        @(Get-ChildItem -LiteralPath (Join-Path $env:AUDIOEMBED_HOME 'models/musicnn') -Force -ErrorAction SilentlyContinue |
            Where-Object Name -like '.staging-*') | Should -HaveCount 0
    }

    It 'AUDIOEMBED_OFFLINE=1 refuses to download' {
        Install-AudioEmbedModel -Model MusiCNN -Variant MSD_vgg -ErrorVariable installErrors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $installErrors | Should -HaveCount 1
        $installErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.InstallFailed*'
        $installErrors[0].Exception.Message | Should -Match 'AUDIOEMBED_OFFLINE'
    }

    It 'Get-EmbeddingStatus stops when the audio folder does not exist' {
        $err = { Get-EmbeddingStatus -AudioPath (Join-Path $TestDrive 'no such folder') -OutputDirectory (Join-Path $TestDrive 'out') } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.AudioFolderNotFound*'
    }

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

Describe 'MusiCNN on the shared example songs' -Skip:(-not $HasShared) {
    BeforeAll {
        $env:AUDIOEMBED_HOME = Join-Path $TestDrive 'store'
        foreach ($variant in $MusicnnVariants) {
            $null = Install-AudioEmbedModel -Model MusiCNN -Variant $variant -SourcePath $CheckpointDir -ErrorAction Stop
        }

        $Project = Join-Path $TestDrive 'project'
        $AudioDir = Join-Path $Project 'audio_files'
        New-Item -ItemType Directory -Path $AudioDir -Force | Out-Null
        $SongNames = 'TRWJAZW128F42760DD_test', 'joram-moments_of_clarity-08-solipsism-59-88'
        $Wav = @{}
        foreach ($name in $SongNames) {
            $Wav[$name] = (ConvertTo-TestWav -NpyPath (Join-Path $FixtureDir $name 'waveform_16k.npy') -WavPath (Join-Path $AudioDir "$name.wav")).FullName
        }
        $Trw, $Joram = $SongNames
        Push-Location -LiteralPath $Project
    }

    AfterAll {
        Pop-Location
    }

    It 'installs the four MusiCNN variants from -SourcePath' {
        $installed = Get-AudioEmbedModel -Model MusiCNN -Installed
        $installed | Should -HaveCount 4
        ($installed.Variant -join ',') | Should -Be ($MusicnnVariants -join ',')
        foreach ($m in $installed) { $m.Location | Should -BeLike "$env:AUDIOEMBED_HOME*" }
    }

    Context 'Quick start: Get-ChildItem audio_files | Get-AudioEmbedding | Export-EmbeddingNpy' {
        BeforeAll {
            $QuickStart = @(Get-ChildItem -Path ./audio_files -File | Get-AudioEmbedding | Export-EmbeddingNpy)
        }

        It 'writes output/embeddings/musicnn/<song>.npy for both songs' {
            $QuickStart | Should -HaveCount 2
            ($QuickStart.Status -join ',') | Should -Be 'Written,Written'
            foreach ($name in $SongNames) {
                Join-Path $Project "output/embeddings/musicnn/$name.npy" | Should -Exist
            }
        }

        It '<Song>.npy is a (753,) float32 array equal to the mean over patches of the reference mean_pool within 2e-3' -ForEach $Songs {
            $npy = Read-TestNpy (Join-Path $Project "output/embeddings/musicnn/$Song.npy")
            $npy.Descr | Should -Be '<f4'
            $npy.Shape | Should -HaveCount 1
            $npy.Shape[0] | Should -Be 753
            $reference = Get-TestRowMean (Read-TestNpy (Join-Path $FixtureDir $Song 'reference_MTT_musicnn/mean_pool.npy'))
            Get-TestMaxAbsDiff $reference $npy.Values | Should -BeLessOrEqual $Tolerance
        }
    }

    Context 'Variants, layers and tags vs the reference forward pass' {
        It 'MSD_musicnn mean_pool of <Song> matches its reference within 2e-3' -ForEach $Songs {
            $e = Get-AudioEmbedding -LiteralPath $Wav[$Song] -Variant MSD_musicnn
            $e.Variant | Should -Be 'MSD_musicnn'
            $e.Layer | Should -Be 'mean_pool'
            $e.Dimension | Should -Be 753
            $e.Patches | Should -Be $Patches
            $reference = Get-TestRowMean (Read-TestNpy (Join-Path $FixtureDir $Song 'reference_MSD_musicnn/mean_pool.npy'))
            Get-TestMaxAbsDiff $reference $e.Vector | Should -BeLessOrEqual $Tolerance
        }

        It 'MTT_musicnn -Layer <Layer> has <Dimension> values equal to the reference mean within 2e-3' -ForEach @(
            @{ Layer = 'max_pool'; Dimension = 753 }
            @{ Layer = 'penultimate'; Dimension = 200 }
            @{ Layer = 'taggram'; Dimension = 50 }
        ) {
            $e = Get-AudioEmbedding -LiteralPath $Wav[$Joram] -Layer $Layer
            $e.Layer | Should -Be $Layer
            $e.Dimension | Should -Be $Dimension
            $reference = Get-TestRowMean (Read-TestNpy (Join-Path $FixtureDir $Joram "reference_MTT_musicnn/$Layer.npy"))
            Get-TestMaxAbsDiff $reference $e.Vector | Should -BeLessOrEqual $Tolerance
        }

        It 'the vgg variants default to pool5 (128) and their taggram matches the reference within 2e-3' {
            $pool5 = Get-AudioEmbedding -LiteralPath $Wav[$Joram] -Variant MSD_vgg
            $pool5.Layer | Should -Be 'pool5'
            $pool5.Dimension | Should -Be 128
            $tags = Get-AudioEmbedding -LiteralPath $Wav[$Joram] -Variant MTT_vgg -Layer taggram
            $reference = Get-TestRowMean (Read-TestNpy (Join-Path $FixtureDir $Joram 'reference_MTT_vgg/taggram.npy'))
            Get-TestMaxAbsDiff $reference $tags.Vector | Should -BeLessOrEqual $Tolerance
        }

        It 'a layer the variant does not have stops before any file is read' {
            $err = { Get-AudioEmbedding -LiteralPath $Wav[$Joram] -Variant MTT_vgg -Layer mean_pool } | Should -Throw -PassThru
            $err.Exception.Message | Should -Match 'pool5'
        }

        It '-IncludeTags -Top 5 gives the top tags of <Song> in the reference order, likelihoods within 2e-3' -ForEach $Songs {
            $labels = Get-TestMttLabels
            $labels | Should -HaveCount 50
            $reference = Get-TestRowMean (Read-TestNpy (Join-Path $FixtureDir $Song 'reference_MTT_musicnn/taggram.npy'))
            $referenceTop = @(0..49 | Sort-Object -Property { $reference[$_] } -Descending | Select-Object -First 5)

            $e = Get-AudioEmbedding -LiteralPath $Wav[$Song] -IncludeTags -Top 5
            $e.Tags | Should -HaveCount 5
            $e.Tags[0].Tag | Should -Be $labels[$referenceTop[0]]
            for ($k = 0; $k -lt 5; $k++) {
                # Rank by rank, so that two tags closer than the tolerance may swap without failing.
                [math]::Abs($e.Tags[$k].Score - $reference[$referenceTop[$k]]) | Should -BeLessOrEqual $Tolerance
                # And each tag's likelihood is that tag's reference value.
                [math]::Abs($e.Tags[$k].Score - $reference[[array]::IndexOf($labels, $e.Tags[$k].Tag)]) | Should -BeLessOrEqual $Tolerance
            }
        }

        It 'a file shorter than one 3-second patch is zero-padded to one patch' {
            $waveform = Read-TestNpy (Join-Path $FixtureDir $Joram 'waveform_16k.npy')
            $oneSecond = [float[]]::new(16000)
            [array]::Copy($waveform.Values, 100000, $oneSecond, 0, 16000)
            $short = Join-Path $TestDrive 'one second.wav'
            Write-TestWav -Path $short -Samples $oneSecond
            $e = Get-AudioEmbedding -LiteralPath $short
            $e.Patches | Should -Be 1
            $e.Dimension | Should -Be 753
            $e.Duration.TotalSeconds | Should -Be 1
        }
    }

    Context 'Resampling a 22.05 kHz stereo file' {
        BeforeAll {
            $Native = (ConvertTo-TestWav -NpyPath (Join-Path $FixtureDir $Trw 'decoded_native.npy') -WavPath (Join-Path $TestDrive 'trw-22050-stereo.wav') -SampleRate 22050).FullName
        }

        It '-ResampyVersion 0.2.2 reproduces the reference (made with resampy 0.2.2) within 2e-3' {
            $e = Get-AudioEmbedding -LiteralPath $Native -ResampyVersion 0.2.2
            $e.SampleRate | Should -Be 22050
            $e.Patches | Should -Be 10
            $reference = Get-TestRowMean (Read-TestNpy (Join-Path $FixtureDir $Trw 'reference_MTT_musicnn/mean_pool.npy'))
            Get-TestMaxAbsDiff $reference $e.Vector | Should -BeLessOrEqual $Tolerance
        }

        It 'uses the resampy 0.4.2 tables by default (taggram within 2e-3 of the 0.4.2 reference, not of the 0.2.2 one)' {
            $e = Get-AudioEmbedding -LiteralPath $Native -Layer taggram
            $reference042 = Get-TestRowMean (Read-TestNpy (Join-Path $FixtureDir $Trw 'alt_resampy_0.4.2/taggram_MTT_musicnn.npy'))
            $reference022 = Get-TestRowMean (Read-TestNpy (Join-Path $FixtureDir $Trw 'reference_MTT_musicnn/taggram.npy'))
            Get-TestMaxAbsDiff $reference042 $e.Vector | Should -BeLessOrEqual $Tolerance
            # The two table generations differ by about 0.012 here (fixtures README), so this tells them apart.
            Get-TestMaxAbsDiff $reference022 $e.Vector | Should -BeGreaterThan $Tolerance
        }
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

    Context '-SkipExisting' {
        BeforeAll {
            $SkipOut = Join-Path $TestDrive 'skip-out'
            $null = Get-AudioEmbedding -LiteralPath $Wav[$Trw] | Export-EmbeddingNpy -OutputDirectory $SkipOut
        }

        It 'skips a song whose valid .npy exists and computes the others' {
            $out = @(Get-AudioEmbedding -LiteralPath $Wav[$Trw], $Wav[$Joram] -SkipExisting -OutputDirectory $SkipOut)
            $out | Should -HaveCount 1
            $out[0].Name | Should -Be $Joram
        }

        It 'says which files it skipped with -Verbose' {
            $records = Get-AudioEmbedding -LiteralPath $Wav[$Trw] -SkipExisting -OutputDirectory $SkipOut -Verbose 4>&1
            $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
            $verbose | Should -Match 'Skipping'
            @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -HaveCount 0
        }

        It 'recomputes a song whose .npy is truncated' {
            $target = Join-Path $SkipOut "musicnn/$Joram.npy"
            $valid = [System.IO.File]::ReadAllBytes((Join-Path $SkipOut "musicnn/$Trw.npy"))
            [System.IO.File]::WriteAllBytes($target, $valid[0..199])
            $out = @(Get-AudioEmbedding -LiteralPath $Wav[$Joram] -SkipExisting -OutputDirectory $SkipOut)
            $out | Should -HaveCount 1
            $out[0].Name | Should -Be $Joram
        }
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

        It '-WhatIf writes nothing' {
            $dir = Join-Path $TestDrive 'whatif'
            $r = $One | Export-EmbeddingNpy -OutputDirectory $dir -WhatIf
            $r.Status | Should -Be 'Skipped'
            $r.Reason | Should -Be 'WhatIf'
            $r.OutputPath | Should -Not -Exist
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

    Context 'Full sequences (-Pooling None / -FullSequence) and -Pooling Max' {
        It '-Pooling None writes (<Patches>, 753) for <Song>, rows equal to the reference within 2e-3' -ForEach $Songs {
            $e = Get-AudioEmbedding -LiteralPath $Wav[$Song] -Pooling None
            $e.Pooling | Should -Be 'None'
            $e.Sequence.Count | Should -Be $Patches
            $file = $e | Export-EmbeddingNpy -OutputDirectory (Join-Path $TestDrive "sequence-$Song") -PassThru
            $npy = Read-TestNpy $file.FullName
            ($npy.Shape -join ',') | Should -Be "$Patches,753"
            $reference = Read-TestNpy (Join-Path $FixtureDir $Song 'reference_MTT_musicnn/mean_pool.npy')
            Get-TestMaxAbsDiff $reference.Values $npy.Values | Should -BeLessOrEqual $Tolerance
        }

        It '-FullSequence is the same as -Pooling None' {
            $a = Get-AudioEmbedding -LiteralPath $Wav[$Joram] -FullSequence
            $b = Get-AudioEmbedding -LiteralPath $Wav[$Joram] -Pooling None
            $a.Pooling | Should -Be 'None'
            $a.Sequence.Count | Should -Be $b.Sequence.Count
            Get-TestMaxAbsDiff $b.Vector $a.Vector | Should -Be 0
        }

        It '-Pooling Max is the element-wise maximum over patches within 2e-3' {
            $e = Get-AudioEmbedding -LiteralPath $Wav[$Joram] -Pooling Max
            $reference = Get-TestRowMax (Read-TestNpy (Join-Path $FixtureDir $Joram 'reference_MTT_musicnn/mean_pool.npy'))
            Get-TestMaxAbsDiff $reference $e.Vector | Should -BeLessOrEqual $Tolerance
        }
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

    Context 'Bad input and devices' {
        BeforeAll {
            $NotAudio = Join-Path $TestDrive 'liner notes.wav'
            Set-Content -LiteralPath $NotAudio -Value 'These are liner notes, not audio.'
            $MissingSong = Join-Path $TestDrive 'no such song.wav'
        }

        It 'a missing path and a non-audio file are non-terminating errors and the next file goes on (-LiteralPath)' {
            $out = @(Get-AudioEmbedding -LiteralPath $MissingSong, $NotAudio, $Wav[$Joram] -ErrorVariable embedErrors -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $out[0].Name | Should -Be $Joram
            $embedErrors | Should -HaveCount 2
            $embedErrors[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.PathNotFound*'
            $embedErrors[0].Exception.Message | Should -Match ([regex]::Escape('no such song.wav'))
            $embedErrors[1].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.AudioDecodeFailed*'
            $embedErrors[1].Exception.Message | Should -Match ([regex]::Escape('liner notes.wav'))
        }

        It 'the same from the pipeline (-Path)' {
            $out = @($MissingSong, $NotAudio, $Wav[$Trw] | Get-AudioEmbedding -ErrorVariable embedErrors -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $out[0].Name | Should -Be $Trw
            $embedErrors | Should -HaveCount 2
        }

        It 'a folder is rejected with a hint to pipe its files' {
            $null = Get-AudioEmbedding -LiteralPath $AudioDir -ErrorVariable embedErrors -ErrorAction SilentlyContinue
            $embedErrors | Should -HaveCount 1
            $embedErrors[0].Exception.Message | Should -Match 'Get-ChildItem'
        }

        It '-Device Cuda stops with a clear error on the CPU build' {
            if (Get-AudioEmbedDevice -Device Cuda -Available) {
                Set-ItResult -Skipped -Because 'this build of ONNX Runtime has the CUDA provider'
                return
            }
            $err = { Get-AudioEmbedding -LiteralPath $Wav[$Joram] -Device Cuda } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.DeviceUnavailable*'
            $err.Exception.Message | Should -Match 'CUDA'
            $err.Exception.Message | Should -Match '-Device Cpu'
        }

        It '-Device Auto falls back to the CPU' {
            if (Get-AudioEmbedDevice -Device Cuda, DirectML, CoreML -Available) {
                Set-ItResult -Skipped -Because 'this build of ONNX Runtime has an accelerator provider'
                return
            }
            (Get-AudioEmbedding -LiteralPath $Wav[$Joram] -Device Auto).Device | Should -Be 'Cpu'
        }
    }

    Context 'Reinstalling a model that this session has used' {
        It 'Install-AudioEmbedModel -Force, then Get-AudioEmbedding, still works (in a child pwsh, as it may crash)' {
            # Run in a separate process: a disposed native session would take the whole test run down with it.
            # Its own store, so that the parent session's open model files are not in the way of the reinstall.
            $script = Join-Path $TestDrive 'reinstall.ps1'
            $childStore = Join-Path $TestDrive 'child-store'
            @"
`$ErrorActionPreference = 'Stop'
`$env:AUDIOEMBED_HOME = '$childStore'
Import-Module '$ModuleManifest'
`$null = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath '$CheckpointDir'
`$first = Get-AudioEmbedding -LiteralPath '$($Wav[$Joram])'
`$null = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath '$CheckpointDir' -Force
`$second = Get-AudioEmbedding -LiteralPath '$($Wav[$Joram])'
'dimension=' + `$second.Dimension
"@ | Set-Content -LiteralPath $script
            $pwsh = (Get-Process -Id $PID).Path
            $output = & $pwsh -NoProfile -NonInteractive -File $script 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            ($output -join "`n") | Should -Match 'dimension=753'
        }
    }
    Context 'Another module loaded an old Google.Protobuf first (dependency isolation)' {
        It 'the module still converts and embeds, and the old copy keeps working (in a child pwsh)' {
            $oldProtobuf = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages/google.protobuf/3.10.1/lib/netstandard2.0/Google.Protobuf.dll'
            if ($env:NUGET_PACKAGES) { $oldProtobuf = Join-Path $env:NUGET_PACKAGES 'google.protobuf/3.10.1/lib/netstandard2.0/Google.Protobuf.dll' }
            if (-not (Test-Path -LiteralPath $oldProtobuf)) {
                Set-ItResult -Skipped -Because "Google.Protobuf 3.10.1 is not in the NuGet cache (dotnet restore tests/AudioEmbed.Tests downloads it)"
                return
            }
            $script = Join-Path $TestDrive 'isolation.ps1'
            $childStore = Join-Path $TestDrive 'isolation-store'
            @"
`$ErrorActionPreference = 'Stop'
`$env:AUDIOEMBED_HOME = '$childStore'
`$old = [System.Reflection.Assembly]::LoadFrom('$oldProtobuf')
Import-Module '$ModuleManifest'
`$null = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath '$CheckpointDir'
'dimension=' + (Get-AudioEmbedding -LiteralPath '$($Wav[$Joram])').Dimension
`$duration = `$old.GetType('Google.Protobuf.WellKnownTypes.Duration')::FromTimeSpan([TimeSpan]::FromSeconds(3))
'old-bytes=' + `$old.GetType('Google.Protobuf.MessageExtensions')::ToByteArray(`$duration).Length
"@ | Set-Content -LiteralPath $script
            $pwsh = (Get-Process -Id $PID).Path
            $output = & $pwsh -NoProfile -NonInteractive -File $script 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            ($output -join "`n") | Should -Match 'dimension=753'
            ($output -join "`n") | Should -Match 'old-bytes=2'
        }
    }
}
