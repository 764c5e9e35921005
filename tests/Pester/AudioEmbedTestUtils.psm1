<#
    Shared helpers of the Pester suite (tests/Pester/*.Tests.ps1), in the manner of PSResourceGet's test utilities:
    where the module and ../shared are, the test environment (a TestDrive model store, downloads forbidden), .npy and
    WAV readers/writers that need no module code, vector comparisons, the example-song project, and a child pwsh.
    Each test file imports this module in BeforeAll and calls Initialize-TestEnvironment / Restore-TestEnvironment.
#>

$RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))

# The songs of ../shared/fixtures/musicnn with their patch counts (3-second patches of the 16 kHz waveform).
$TestSongs = @(
    @{ Song = 'TRWJAZW128F42760DD_test'; Patches = 10 }
    @{ Song = 'joram-moments_of_clarity-08-solipsism-59-88'; Patches = 9 }
)

function Get-TestRepoRoot { $RepoRoot }

# ../shared beside the repository (reference data; never copied into the repository).
function Get-TestSharedRoot { [System.IO.Path]::GetFullPath((Join-Path $RepoRoot '../shared')) }

# The built module's manifest; a clear stop when it is not built.
function Get-TestModuleManifest {
    $manifest = Join-Path $RepoRoot 'out/AudioEmbed/AudioEmbed.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "The module is not built: '$manifest' is missing. Run 'dotnet build' (or ./build.ps1) at the repository root first."
    }
    $manifest
}

# True when the MusiCNN checkpoints and reference fixtures of ../shared are there; warns (once per file) when not.
function Test-TestShared {
    param([switch] $Quiet)
    $shared = Get-TestSharedRoot
    $has = (Test-Path -LiteralPath (Join-Path $shared 'models/musicnn/MTT_musicnn.h5')) -and
           (Test-Path -LiteralPath (Join-Path $shared 'fixtures/musicnn/README.md'))
    if (-not $has -and -not $Quiet) {
        Write-Warning "AudioEmbed tests: '$shared' (checkpoints and reference fixtures) is absent; the tests that need it are skipped."
    }
    $has
}

function Get-TestSongs { $TestSongs }

# Imports the built module, points the model store at a TestDrive folder and forbids downloads; returns what to restore.
function Initialize-TestEnvironment {
    param([Parameter(Mandatory)][string] $StorePath)
    # Every variable that chooses where models come from: saved, then pointed at test folders (never the user's own
    # store, Hugging Face cache or token, never the network).
    $saved = @{}
    foreach ($name in 'AUDIOEMBED_HOME', 'AUDIOEMBED_OFFLINE', 'AUDIOEMBED_CATALOG', 'HF_HUB_CACHE', 'HF_HOME', 'HF_ENDPOINT', 'HF_TOKEN', 'HF_HUB_OFFLINE',
        'AUDIOEMBED_DOWNLOAD_TIMEOUT', 'HF_HUB_DOWNLOAD_TIMEOUT', 'HF_HUB_ETAG_TIMEOUT') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    # Kept as it is (tests that hide ffmpeg set it and put it back), restored at the end.
    $saved['AUDIOEMBED_FFMPEG'] = $env:AUDIOEMBED_FFMPEG
    $env:AUDIOEMBED_OFFLINE = '1'
    $env:AUDIOEMBED_HOME = $StorePath
    $env:HF_HOME = Join-Path $StorePath 'hf-home'
    $env:HF_HUB_CACHE = Join-Path $StorePath 'hf-empty-cache'
    Import-Module (Get-TestModuleManifest) -Force -Global
    $saved
}

function Restore-TestEnvironment {
    param([Parameter(Mandatory)] $Saved)
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    Remove-Module AudioEmbed -ErrorAction SilentlyContinue
}

# The shipped catalog with the pinned hashes of one family's files removed, set as AUDIOEMBED_CATALOG: the tiny MERT
# fixture can then be installed under the real variant name (the real pins rightly refuse it). Restore-TestEnvironment
# puts the variable back.
function Use-TestUnpinnedCatalog {
    param([Parameter(Mandatory)][string] $Folder, [string] $Family = 'Mert')
    $shipped = Join-Path (Split-Path -Parent (Get-TestModuleManifest)) 'models/catalog.json'
    $catalog = Get-Content -Raw -LiteralPath $shipped | ConvertFrom-Json -AsHashtable
    foreach ($f in $catalog.families | Where-Object { $_.name -eq $Family }) {
        foreach ($v in $f.variants) { foreach ($file in $v.files) { $file.Remove('sha256'); $file.Remove('size') } }
    }
    New-Item -ItemType Directory -Path $Folder -Force | Out-Null
    $path = Join-Path $Folder 'catalog-unpinned.json'
    $catalog | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath $path
    $env:AUDIOEMBED_CATALOG = $path
    $path
}

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

# Cosine similarity of two vectors (double accumulation).
function Get-TestCosine {
    param([Parameter(Mandatory)] $A, [Parameter(Mandatory)] $B)
    if ($A.Count -ne $B.Count) { throw "length $($B.Count) differs from $($A.Count)" }
    $dot = 0.0; $na = 0.0; $nb = 0.0
    for ($i = 0; $i -lt $A.Count; $i++) { $dot += [double]$A[$i] * $B[$i]; $na += [double]$A[$i] * $A[$i]; $nb += [double]$B[$i] * $B[$i] }
    $dot / [Math]::Sqrt($na * $nb)
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

# The MagnaTagATune tag names in model output order, from the catalog shipped with the module.
function Get-TestMttLabels {
    $catalogPath = Join-Path (Split-Path (Get-TestModuleManifest)) 'models/catalog.json'
    $catalog = Get-Content -Raw -LiteralPath $catalogPath | ConvertFrom-Json
    , [string[]](($catalog.families | Where-Object name -eq 'MusiCNN').labels.MTT)
}

<#
    The example-song project most scenarios start from: the given MusiCNN variants installed from ../shared into the
    current store, and <Root>/project/audio_files holding the two reference songs (their 16 kHz waveforms as WAV).
#>
function Initialize-TestMusicnnProject {
    param(
        [Parameter(Mandatory)][string] $Root,
        [string[]] $Variants = @('MTT_musicnn')
    )
    $shared = Get-TestSharedRoot
    foreach ($variant in $Variants) {
        $null = Install-AudioEmbedModel -Model MusiCNN -Variant $variant -SourcePath (Join-Path $shared 'models/musicnn') -ErrorAction Stop -InformationAction Ignore
    }
    $project = Join-Path $Root 'project'
    $audioDir = Join-Path $project 'audio_files'
    $null = New-Item -ItemType Directory -Path $audioDir -Force
    $wav = @{}
    foreach ($song in $TestSongs) {
        $name = $song.Song
        $wav[$name] = (ConvertTo-TestWav -NpyPath (Join-Path $shared "fixtures/musicnn/$name/waveform_16k.npy") -WavPath (Join-Path $audioDir "$name.wav")).FullName
    }
    [pscustomobject]@{
        Project       = $project
        AudioDir      = $audioDir
        Wav           = $wav
        Trw           = $TestSongs[0].Song
        Joram         = $TestSongs[1].Song
        SongNames     = @($TestSongs.Song)
        FixtureDir    = Join-Path $shared 'fixtures/musicnn'
        CheckpointDir = Join-Path $shared 'models/musicnn'
    }
}

<#
    Runs a script file in a fresh pwsh process (this same PowerShell) and returns its output lines and exit code.
    Under the .NET tool, (Get-Process -Id $PID).Path is dotnet: then the child is 'dotnet <PSHOME>/pwsh.dll'; a normal
    install starts its own executable. Extra environment variables apply to the child only.
#>
function Invoke-TestPwsh {
    param(
        [Parameter(Mandatory)][string] $ScriptPath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{}
    )
    $self = (Get-Process -Id $PID).Path
    $prefix = @(if ((Split-Path -Leaf $self) -match '^dotnet(\.exe)?$') { Join-Path $PSHOME 'pwsh.dll' })
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $output = & $self @prefix -NoProfile -NonInteractive -File $ScriptPath @ArgumentList 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output); Text = (@($output) -join "`n") }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

Export-ModuleMember -Function *-Test*, Initialize-TestEnvironment, Restore-TestEnvironment, Initialize-TestMusicnnProject, Invoke-TestPwsh
