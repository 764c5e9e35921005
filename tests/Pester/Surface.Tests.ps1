#Requires -Version 7.4
<#
    The module's surface as a PowerShell user meets it (Pester 5): tab completion (TabExpansion2), -Model checked
    against the catalog, Get-EmbeddingStatus -Missing objects piped on, -WhatIf returning nothing, an unwritable
    output folder stopping the pipeline before any file is computed, Import-EmbeddingNpy reading manifest.jsonl,
    status and -SkipExisting agreeing on a custom checkpoint, and help examples that parse and name real commands.
    Run after 'dotnet build':  Invoke-Pester ./tests/Pester/Surface.Tests.ps1
    The store is a TestDrive folder ($env:AUDIOEMBED_HOME), downloads are off ($env:AUDIOEMBED_OFFLINE = '1');
    MusiCNN comes from ../shared/models/musicnn and the tiny EnCodecMAE checkpoint from ../shared/fixtures.
    Tests that need ../shared are skipped, with a warning, when it is absent.
#>

BeforeDiscovery {
    $sharedRoot = Join-Path $PSScriptRoot '../../../shared'
    $HasShared = Test-Path -LiteralPath (Join-Path $sharedRoot 'models/musicnn/MTT_musicnn.h5')
    $HasTiny = Test-Path -LiteralPath (Join-Path $sharedRoot 'fixtures/encodecmae/tiny-mel256/model.pt')
    if (-not $HasShared) { Write-Warning "Surface tests: '$sharedRoot' is absent; the tests that embed audio are skipped." }
    $HasChattr = $IsLinux -and [bool](Get-Command chattr -ErrorAction Ignore)
}

BeforeAll {
    $ModuleManifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/AudioEmbed/AudioEmbed.psd1'))
    if (-not (Test-Path -LiteralPath $ModuleManifest)) { throw "The module is not built: '$ModuleManifest' is missing. Run 'dotnet build' first." }
    Import-Module $ModuleManifest -Force
    $SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))

    $SavedHome = $env:AUDIOEMBED_HOME
    $SavedOffline = $env:AUDIOEMBED_OFFLINE
    $env:AUDIOEMBED_OFFLINE = '1'
    $env:AUDIOEMBED_HOME = Join-Path $TestDrive 'store'

    # A 16 kHz mono 16-bit PCM WAV of a sine tone.
    function New-ToneWav {
        param([string] $Path, [double] $Seconds = 3.3, [double] $Hz = 440)
        $rate = 16000; $n = [int]($Seconds * $rate)
        $stream = [System.IO.File]::Create($Path)
        $w = [System.IO.BinaryWriter]::new($stream)
        try {
            $w.Write([Text.Encoding]::ASCII.GetBytes('RIFF')); $w.Write([int](36 + 2 * $n)); $w.Write([Text.Encoding]::ASCII.GetBytes('WAVEfmt '))
            $w.Write([int]16); $w.Write([int16]1); $w.Write([int16]1); $w.Write([int]$rate); $w.Write([int]($rate * 2)); $w.Write([int16]2); $w.Write([int16]16)
            $w.Write([Text.Encoding]::ASCII.GetBytes('data')); $w.Write([int](2 * $n))
            for ($i = 0; $i -lt $n; $i++) { $w.Write([int16](12000 * [math]::Sin(2 * [math]::PI * $Hz * $i / $rate))) }
        }
        finally { $w.Dispose() }
        $Path
    }

    function Complete-Line([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }

    $Families = @((Get-Content (Join-Path (Split-Path $ModuleManifest) 'models/catalog.json') -Raw | ConvertFrom-Json).families.name)
    if (Test-Path -LiteralPath (Join-Path $SharedRoot 'models/musicnn/MTT_musicnn.h5')) {
        Install-AudioEmbedModel MusiCNN -Variant MTT_musicnn -SourcePath (Join-Path $SharedRoot 'models/musicnn') | Out-Null
    }
}

AfterAll {
    $env:AUDIOEMBED_HOME = $SavedHome
    $env:AUDIOEMBED_OFFLINE = $SavedOffline
    Remove-Module AudioEmbed -Force -ErrorAction Ignore
}

Describe 'Tab completion and -Model from the catalog' {
    It 'completes -Model with the catalog families on every cmdlet that has it' {
        foreach ($cmd in 'Get-AudioEmbedding', 'Get-EmbeddingStatus', 'Get-AudioEmbedModel', 'Install-AudioEmbedModel') {
            Complete-Line "$cmd -Model " | Should -Be $Families
        }
    }

    It 'completes -Layer with the chosen variant''s layers, numbers in numeric order' {
        $layers = Complete-Line 'Get-AudioEmbedding -Model Mert -Layer '
        $layers[0] | Should -Be 'last'
        @($layers | Where-Object { $_ -match '^\d+$' }) | Should -Be (0..12 | ForEach-Object { "$_" })
        @(Complete-Line 'Get-AudioEmbedding -Model Mert -Variant MERT-v1-330M -Layer 2') | Should -Be @('2', '20', '21', '22', '23', '24')
        Complete-Line 'Get-AudioEmbedding -Layer ' | Should -Not -Contain 'pool5' # not the vgg variants' layer
    }

    It 'refuses an unknown -Model with one error that lists the known families' {
        # A parameter-binding error: it stops the command before it runs, whatever -ErrorAction says.
        $err = { Get-AudioEmbedModel -Model Beethoven } | Should -Throw -ErrorId 'ParameterArgumentValidationError*' -PassThru
        $err.Exception.Message | Should -Match "Unknown model 'Beethoven'"
        $err.Exception.Message | Should -Match ([regex]::Escape($Families -join ', '))
    }

    It 'offers an installed custom checkpoint for -Variant, and its own layers for -Layer' -Skip:(-not $HasTiny) {
        $store = Join-Path $TestDrive 'tinystore'
        Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -ModelPath $store `
            -SourcePath (Join-Path $SharedRoot 'fixtures/encodecmae/tiny-mel256/model.pt') -WarningAction SilentlyContinue | Out-Null
        foreach ($cmd in 'Get-AudioEmbedding', 'Get-EmbeddingStatus', 'Get-AudioEmbedModel') {
            Complete-Line "$cmd -Model EnCodecMAE -ModelPath '$store' -Variant t" | Should -Be 'tiny-mel256'
        }
        $layers = Complete-Line "Get-AudioEmbedding -Model EnCodecMAE -ModelPath '$store' -Variant tiny-mel256 -Layer "
        $manifest = Get-Content (Join-Path $store 'models/encodecmae/tiny-mel256/manifest.json') -Raw | ConvertFrom-Json
        ($layers | Sort-Object) | Should -Be ($manifest.layers.PSObject.Properties.Name | Sort-Object)
    }
}

Describe 'Objects that pipe on' -Skip:(-not $HasShared) {
    BeforeAll {
        $Library = New-Item -ItemType Directory (Join-Path $TestDrive 'library') -Force
        $Out = Join-Path $TestDrive 'out'
        0..2 | ForEach-Object { New-ToneWav (Join-Path $Library "song $_.wav") -Hz (220 * ($_ + 1)) } | Out-Null
        Get-AudioEmbedding -LiteralPath (Join-Path $Library 'song 0.wav') | Export-EmbeddingNpy -OutputDirectory $Out | Out-Null
        # Another layer is another configuration: it goes to a folder of its own and leaves the default one as it is.
        $Penultimate = Get-AudioEmbedding -LiteralPath (Join-Path $Library 'song 0.wav') -Layer penultimate | Export-EmbeddingNpy -OutputDirectory $Out
    }

    It 'Get-EmbeddingStatus -Missing returns typed rows with a reason and a table view' {
        $missing = @(Get-EmbeddingStatus $Library -Model MusiCNN -OutputDirectory $Out -Missing)
        $missing.Name | Should -Be 'song 1', 'song 2'
        $missing[0].PSObject.TypeNames[0] | Should -Be 'AudioEmbed.Core.Output.MissingEmbedding'
        $missing.Reason | ForEach-Object { "$_" } | Should -Be 'NotComputed', 'NotComputed'
        $table = $missing | Out-String -Width 250
        $table | Should -Match 'Name\s+Model\s+Reason\s+AudioPath'
        $table | Should -Match ([regex]::Escape((Join-Path $Library 'song 2.wav')))
    }

    It 'pipes -Missing into Get-AudioEmbedding | Export-EmbeddingNpy and completes the folder' {
        $written = Get-EmbeddingStatus $Library -Model MusiCNN -OutputDirectory $Out -Missing | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory $Out
        $written.Name | Should -Be 'song 1', 'song 2'
        $written.Status | ForEach-Object { "$_" } | Should -Be 'Written', 'Written'
        @(Get-EmbeddingStatus $Library -Model MusiCNN -OutputDirectory $Out -Missing) | Should -HaveCount 0
    }

    It 'Import-EmbeddingNpy fills Variant, Layer and Duration from manifest.jsonl' {
        $Penultimate.OutputPath | Should -Not -Be (Join-Path $Out 'musicnn/song 0.npy')
        $e = Import-EmbeddingNpy $Penultimate.OutputPath
        $e.Variant | Should -Be 'MTT_musicnn'
        $e.Layer | Should -Be 'penultimate'
        $e.Dimension | Should -Be 200
        $e.Duration.TotalSeconds | Should -BeGreaterThan 3.2
    }

    It '-WhatIf returns no result objects and writes nothing' {
        $fresh = Join-Path $TestDrive 'whatif'
        $r = @(Get-ChildItem $Library -File | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory $fresh -WhatIf)
        $r | Should -HaveCount 0
        Test-Path $fresh | Should -BeFalse
        @(Install-AudioEmbedModel MusiCNN -Variant MSD_vgg -SourcePath (Join-Path $SharedRoot 'models/musicnn') -WhatIf) | Should -HaveCount 0
        (Get-AudioEmbedModel MusiCNN -Variant MSD_vgg).Installed | Should -BeFalse
    }
}

Describe 'An unwritable output folder stops once, before any file' -Skip:(-not $HasShared) {
    BeforeAll {
        $Library = New-Item -ItemType Directory (Join-Path $TestDrive 'unwritable-lib') -Force
        0..2 | ForEach-Object { New-ToneWav (Join-Path $Library "s$_.wav") -Hz (300 + 50 * $_) } | Out-Null
    }

    It 'a file where a folder should be: one terminating error naming the folder, nothing computed' {
        $blocker = Join-Path $TestDrive 'a-file'
        Set-Content $blocker 'not a folder'
        $target = Join-Path $blocker 'embeddings'
        $log = Join-Path $TestDrive 'verbose.txt'
        { Get-ChildItem $Library -File | Get-AudioEmbedding -Verbose 4> $log | Export-EmbeddingNpy -OutputDirectory $target } |
            Should -Throw -ErrorId 'AudioEmbed.OutputNotWritable*' -ExpectedMessage "*'$target'*is a file*"
        Get-Content $log | Should -Match '^Model MusiCNN' # Get-AudioEmbedding started...
        Get-Content $log | Should -Not -Match '^Processing' # ...and computed nothing
    }

    It 'an immutable folder (chattr +i): permission denied, before any file' -Skip:(-not $HasChattr) {
        $locked = New-Item -ItemType Directory (Join-Path $TestDrive 'immutable') -Force
        chattr +i $locked.FullName
        try {
            if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'chattr +i failed (not root, or no attribute support)'; return }
            { Get-ChildItem $Library -File | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory $locked.FullName } |
                Should -Throw -ErrorId 'AudioEmbed.OutputNotWritable*' -ExpectedMessage '*permission denied*'
        }
        finally { chattr -i $locked.FullName }
    }
}

Describe 'Status and -SkipExisting agree on a custom checkpoint' -Skip:(-not $HasTiny) {
    It 'counts the tiny checkpoint''s 32-wide embedding as valid, as -SkipExisting does' {
        $store = Join-Path $TestDrive 'agree-store'
        $lib = New-Item -ItemType Directory (Join-Path $TestDrive 'agree-lib') -Force
        $out = Join-Path $TestDrive 'agree-out'
        Copy-Item (Join-Path $SharedRoot 'fixtures/encodecmae/tiny-mel256/input.wav') $lib
        Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -ModelPath $store `
            -SourcePath (Join-Path $SharedRoot 'fixtures/encodecmae/tiny-mel256/model.pt') -WarningAction SilentlyContinue | Out-Null
        $embed = { Get-ChildItem $lib -File | Get-AudioEmbedding -Model EnCodecMAE -Variant tiny-mel256 -ModelPath $store -OutputDirectory $out @args }
        & $embed | Export-EmbeddingNpy -OutputDirectory $out | Out-Null
        # A custom checkpoint is its own configuration (its own folder): status is asked about that variant.
        $report = Get-EmbeddingStatus $lib -Model EnCodecMAE -Variant tiny-mel256 -OutputDirectory $out -ModelPath $store
        $report.Valid | Should -Be 1
        $report.Invalid | Should -Be 0
        @(& $embed -SkipExisting) | Should -HaveCount 0
    }
}

Describe 'Help examples' {
    It 'shows switches without a value and lists accepted values in the syntax' {
        $syntax = (Get-Help Get-AudioEmbedding).syntax | Out-String -Width 1000
        $syntax | Should -Match '\[-ExactResampling\]'
        $syntax | Should -Not -Match 'SwitchParameter'
        $syntax | Should -Match '-Decoder \{Auto \| Managed \| FFmpeg\}'
        $syntax | Should -Match ('-Model \{' + [regex]::Escape($Families -join ' | ') + '\}')
        (Get-Help Get-EmbeddingStatus).syntax | Out-String -Width 1000 | Should -Match '-Layout \{Flat \| Relative\}'
    }

    It 'every example of every cmdlet parses and names only commands and parameters that exist' {
        $problems = foreach ($c in Get-Command -Module AudioEmbed) {
            $n = 0
            foreach ($ex in (Get-Help $c.Name -Full).examples.example) {
                $n++
                $lines = ($ex.code -split "`r?`n")
                $code = if ($lines -match '^PS>') {
                    $in = $false
                    foreach ($l in $lines) {
                        if ($l -match '^PS>\s?(.*)$') { $Matches[1]; $in = $true }
                        elseif ($in -and $l -match '^\s+\S') { $l }
                        else { $in = $false }
                    }
                } else { $lines }
                $tokens = $errors = $null
                $ast = [System.Management.Automation.Language.Parser]::ParseInput(($code -join "`n"), [ref]$tokens, [ref]$errors)
                foreach ($e in $errors) { "$($c.Name) example ${n}: $($e.Message)" }
                foreach ($call in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                    $name = $call.GetCommandName()
                    if (-not $name -or $name -match '[\\/]') { continue }
                    $cmd = Get-Command $name -ErrorAction Ignore
                    if (-not $cmd) { "$($c.Name) example ${n}: no command '$name'"; continue }
                    if ($cmd.CommandType -eq 'Application') { continue }
                    foreach ($p in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                        $known = $cmd.Parameters.Keys + @($cmd.Parameters.Values.Aliases)
                        if ($known -notcontains $p.ParameterName) { "$($c.Name) example ${n}: $name has no -$($p.ParameterName)" }
                    }
                }
            }
        }
        $problems | Should -BeNullOrEmpty
    }
}
