#Requires -Version 7.4
<#
    The README's and docs/recipes.md's code blocks, run as written: every ```powershell block that the document marks
    with the line '<!-- pester: run -->' just before it. The paths a user would have are pointed at test copies
    (./music, ./audio_files and ./song.wav at the example songs; ./MERT-v1-95M and ./mel256-ec-base_st.pt at the tiny
    checkpoints of ../shared/fixtures; output/embeddings and the model store in TestDrive); nothing else is changed.
    A block passes when it runs without an error and writes the embeddings it says it writes.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $HasShared = Test-TestShared -Quiet
    $root = Get-TestRepoRoot
    # One test case per marked block: document, heading above it, code.
    $Blocks = foreach ($doc in 'README.md', 'docs/recipes.md') {
        $lines = Get-Content -LiteralPath (Join-Path $root $doc)
        $heading = ''
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^#+\s+(.*)$') { $heading = $Matches[1] }
            if ($lines[$i].Trim() -eq '<!-- pester: run -->' -and $lines[$i + 1] -match '^```powershell') {
                $code = [System.Collections.Generic.List[string]]::new()
                for ($j = $i + 2; $j -lt $lines.Count -and $lines[$j] -notmatch '^```'; $j++) { $code.Add($lines[$j]) }
                # The first strong words of the paragraph before the block name it when the heading is shared.
                $label = $heading
                for ($k = $i - 1; $k -ge 0 -and $k -ge $i - 4; $k--) { if ($lines[$k] -match '^\*\*([^*]+)\*\*') { $label = "$heading, $($Matches[1])"; break } }
                @{ Document = $doc; Line = $i + 2; Label = $label; Code = ($code -join "`n") }
            }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $Saved = Initialize-TestEnvironment -StorePath (Join-Path $TestDrive 'store')
    $Shared = Get-TestSharedRoot
    # As online, with the pinned hashes checked: a MusiCNN variant that a block uses without installing it comes
    # from ../shared/models laid out as a mirror (<mirror>/musicnn/<file>).
    $SavedMirror = $env:AUDIOEMBED_MODEL_MIRROR
    $env:AUDIOEMBED_MODEL_MIRROR = Join-Path $Shared 'models'
    $Manifest = Get-TestModuleManifest

    # What a user's folders hold here: the example MP3s, their reference waveforms as WAV, the tiny checkpoints.
    $Music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
    Get-ChildItem (Join-Path $Shared 'audio') -Filter *.mp3 -ErrorAction SilentlyContinue | Copy-Item -Destination $Music
    $Songs = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'audio_files') -Force
    foreach ($song in Get-TestSongs) {
        $npy = Join-Path $Shared "fixtures/musicnn/$($song.Song)/waveform_16k.npy"
        if (Test-Path -LiteralPath $npy) { $null = ConvertTo-TestWav -NpyPath $npy -WavPath (Join-Path $Songs "$($song.Song).wav") }
    }
    $EncodecMae = Join-Path $TestDrive 'mel256-ec-base_st.pt'
    $tinyEncodecMae = Join-Path $Shared 'fixtures/encodecmae/tiny-mel256/model.pt'
    if (Test-Path -LiteralPath $tinyEncodecMae) { Copy-Item -LiteralPath $tinyEncodecMae -Destination $EncodecMae }

    # ./MERT-v1-95M stands for the tiny MERT fixture, which the real MERT-v1-95M pins rightly refuse.
    $null = Use-TestUnpinnedCatalog -Folder (Join-Path $TestDrive 'catalog')

    $Substitutions = [ordered]@{
        './out/AudioEmbed/AudioEmbed.psd1' = $Manifest
        '../shared'                        = $Shared
        './MERT-v1-95M'                    = Join-Path $Shared 'fixtures/mert/tiny-95m-style'
        './mel256-ec-base_st.pt'           = $EncodecMae
        './my-tagger.h5'                   = Join-Path $Shared 'models/musicnn/MTT_musicnn.h5'
        './music'                          = $Music.FullName
        './audio_files'                    = $Songs.FullName
        './song.wav'                       = Join-Path $Songs 'joram-moments_of_clarity-08-solipsism-59-88.wav'
    }
}

AfterAll {
    $env:AUDIOEMBED_MODEL_MIRROR = $SavedMirror
    Restore-TestEnvironment $Saved
}

Describe 'The documented code blocks run as written' -Skip:(-not $HasShared) {
    It '<Document> line <Line> (<Label>)' -ForEach $Blocks {
        $code = $Code
        foreach ($key in $Substitutions.Keys) { $code = $code.Replace($key, $Substitutions[$key]) }
        # Each block in a folder of its own with its own model store, as a user starting from a clean directory.
        $work = New-Item -ItemType Directory -Path (Join-Path $TestDrive "block-$Line-$([guid]::NewGuid().ToString('N').Substring(0, 6))") -Force
        $env:AUDIOEMBED_HOME = Join-Path $work 'store'
        Push-Location -LiteralPath $work
        try {
            $ErrorActionPreference = 'Stop'
            # Any error stops the block (and fails the test): what a user sees as red text is a failure here.
            $output = & ([scriptblock]::Create($code)) 3>$null 6>$null
        }
        finally { Pop-Location; $ErrorActionPreference = 'Continue' }

        # Every model folder the block exported into holds a valid .npy per song it embedded.
        $written = @(Get-ChildItem -LiteralPath (Join-Path $work 'output/embeddings') -Recurse -Filter *.npy -ErrorAction SilentlyContinue)
        if ($code -match 'Export-EmbeddingNpy') { $written.Count | Should -BeGreaterThan 0 -Because "the block exports embeddings:`n$code" }
        foreach ($file in $written) { (Read-TestNpy $file.FullName).Values.Count | Should -BeGreaterThan 0 }
        # What the block printed (Select-Object Name, Dimension / Get-EmbeddingStatus) is there too.
        if ($code -match 'Select-Object Name, Dimension') { @($output | Where-Object { $_.Dimension -gt 0 }).Count | Should -BeGreaterThan 0 }
    }
}
