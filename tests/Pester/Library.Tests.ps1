#Requires -Version 7.4
<#
    The recommender recipe end to end, as a user runs it (Pester 5): embed the real songs of ../shared/audio with
    MusiCNN, find the 10 nearest songs of one, export the library table (Parquet and npz), compare two folders;
    and the configuration-folder rule (another layer never overwrites the default embeddings).
    Self-contained: the store is a TestDrive folder ($env:AUDIOEMBED_HOME), downloads are forbidden
    ($env:AUDIOEMBED_OFFLINE = '1'), both restored afterwards. Skipped with a warning when ../shared is absent.
    The Ogg songs need ffmpeg (issue #16 brings a managed decoder); without it only the MP3 songs are used.
    Run after 'dotnet build':  Invoke-Pester ./tests/Pester/Library.Tests.ps1
#>

BeforeDiscovery {
    $sharedRoot = Join-Path $PSScriptRoot '../../../shared'
    $HasShared = (Test-Path -LiteralPath (Join-Path $sharedRoot 'models/musicnn/MTT_musicnn.h5')) -and
                 (Test-Path -LiteralPath (Join-Path $sharedRoot 'audio'))
    if (-not $HasShared) { Write-Warning "Library tests: '$sharedRoot' (MusiCNN checkpoint, example songs) is absent; skipped." }
}

BeforeAll {
    Import-Module ([System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/AudioEmbed/AudioEmbed.psd1'))) -Force
    $SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
    $SavedHome = $env:AUDIOEMBED_HOME
    $SavedOffline = $env:AUDIOEMBED_OFFLINE
    $env:AUDIOEMBED_OFFLINE = '1'
    $env:AUDIOEMBED_HOME = Join-Path $TestDrive 'store'
}

AfterAll {
    $env:AUDIOEMBED_HOME = $SavedHome
    $env:AUDIOEMBED_OFFLINE = $SavedOffline
}

Describe 'The recommender recipe on the shared songs' -Skip:(-not $HasShared) {
    BeforeAll {
        $null = Install-AudioEmbedModel -Model MusiCNN -SourcePath (Join-Path $SharedRoot 'models/musicnn') -ErrorAction Stop
        $Extensions = if (Get-Command ffmpeg -ErrorAction Ignore) { '.mp3', '.ogg' } else { , '.mp3' }
        $SongFiles = @(Get-ChildItem -LiteralPath (Join-Path $SharedRoot 'audio') -File | Where-Object Extension -in $Extensions | Sort-Object Name)
        $Out = Join-Path $TestDrive 'embeddings'
        $Written = @($SongFiles | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory $Out)
        $Query = $SongFiles[0]
    }

    It 'embeds every song into the default folder' {
        $Written | Should -HaveCount $SongFiles.Count
        $Written.Status | Sort-Object -Unique | Should -Be 'Written'
        foreach ($f in $SongFiles) { Join-Path $Out 'musicnn' "$($f.BaseName).npy" | Should -Exist }
    }

    It 'finds the 10 nearest songs of one: the others, best first, the query left out' {
        $near = @(Find-SimilarAudio -Path $Query.FullName -OutputDirectory $Out -Top 10)
        $near | Should -HaveCount ([Math]::Min(10, $SongFiles.Count - 1))
        $near.Name | Should -Not -Contain $Query.BaseName
        (($near | ForEach-Object Rank) -join ',') | Should -Be ((1..$near.Count) -join ',') # not $near.Rank: that is the array's own Rank
        for ($i = 1; $i -lt $near.Count; $i++) { $near[$i].Score | Should -BeLessOrEqual $near[$i - 1].Score }
        foreach ($n in $near) { $n.AudioPath | Should -Exist; $n.Score | Should -BeGreaterThan -1.0001; $n.Score | Should -BeLessThan 1.0001 }
        # The same answer from the embedding object in the pipeline, and a cache beside the embeddings.
        $again = @(Get-AudioEmbedding -LiteralPath $Query.FullName | Find-SimilarAudio -OutputDirectory $Out -Top 10)
        ($again.Name -join '|') | Should -Be ($near.Name -join '|')
        Join-Path $Out 'musicnn/.library/MTT_musicnn.mean_pool.mean.json' | Should -Exist
    }

    It 'exports the library table as Parquet and npz' {
        $parquet = Export-EmbeddingTable -Path (Join-Path $TestDrive 'library.parquet') -OutputDirectory $Out
        $parquet.Rows | Should -Be $SongFiles.Count
        $parquet.Dimension | Should -Be 753
        $bytes = [System.IO.File]::ReadAllBytes($parquet.Path)
        [System.Text.Encoding]::ASCII.GetString($bytes, 0, 4) | Should -Be 'PAR1'
        [System.Text.Encoding]::ASCII.GetString($bytes, $bytes.Length - 4, 4) | Should -Be 'PAR1'

        $npz = Export-EmbeddingTable -Path (Join-Path $TestDrive 'library.npz') -OutputDirectory $Out -Model MusiCNN
        $npz.Format | Should -Be 'Npz'
        $python = @('python3', '/usr/bin/python3') | Where-Object { Get-Command $_ -ErrorAction Ignore } |
            Where-Object { & $_ -c 'import numpy' 2>$null; $LASTEXITCODE -eq 0 } | Select-Object -First 1
        if ($python) {
            $check = "import numpy as np,sys; d=np.load(sys.argv[1]); print(d['vectors'].shape[0], d['vectors'].shape[1], d['vectors'].dtype, '|'.join(sorted(d['names'])))"
            $names = [string[]]$SongFiles.BaseName
            [Array]::Sort($names, [StringComparer]::Ordinal)
            (& $python -c $check $npz.Path) | Should -Be "$($SongFiles.Count) 753 float32 $($names -join '|')"
        }
        else { Set-ItResult -Skipped -Because 'python3 with numpy is absent (apt-get install -y python3-numpy); the npz was written but not read back here' }
    }

    It 'compares two folders: identical copies have cosine 1, missing songs are counted' {
        $copy = Join-Path $TestDrive 'copy'
        Copy-Item -LiteralPath $Out -Destination $copy -Recurse
        Remove-Item -LiteralPath (Join-Path $copy 'musicnn' "$($Query.BaseName).npy")
        $summary = Compare-AudioEmbedding -ReferenceDirectory $Out -DifferenceDirectory $copy -Model MusiCNN -Summary -WarningAction SilentlyContinue
        $summary.Compared | Should -Be ($SongFiles.Count - 1)
        $summary.MinCosine | Should -Be 1
        $summary.MissingInDifference | Should -Be 1
    }

    It 'writes another layer to its own folder and never over the default embeddings' {
        $before = [System.IO.File]::ReadAllBytes((Join-Path $Out 'musicnn' "$($Query.BaseName).npy"))
        $r = Get-AudioEmbedding -LiteralPath $Query.FullName -Layer taggram | Export-EmbeddingNpy -OutputDirectory $Out
        $r.OutputPath | Should -Be (Join-Path $Out 'musicnn/MTT_musicnn.taggram.mean' "$($Query.BaseName).npy")
        [System.IO.File]::ReadAllBytes((Join-Path $Out 'musicnn' "$($Query.BaseName).npy")) | Should -Be $before
        (Get-EmbeddingStatus -AudioPath $Query.FullName -OutputDirectory $Out -Model MusiCNN -Layer taggram).Valid | Should -Be 1
        @(Find-SimilarAudio -Path $Query.FullName -OutputDirectory $Out -Layer taggram) | Should -HaveCount 0 -Because 'the taggram library holds only the query song'
    }

    It 'refuses to replace a file of another configuration unless -Force' {
        $target = Join-Path $Out 'musicnn' "$($SongFiles[1].BaseName).npy"
        Copy-Item -LiteralPath (Join-Path $Out 'musicnn/MTT_musicnn.taggram.mean' "$($Query.BaseName).npy") -Destination $target -Force # a (50,) file
        $r = Get-AudioEmbedding -LiteralPath $SongFiles[1].FullName | Export-EmbeddingNpy -OutputDirectory $Out -ErrorVariable conflict -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Failed'
        $conflict[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.ConfigurationConflict*'
        $conflict[0].Exception.Message | Should -BeLike "*$target*"
        (Get-AudioEmbedding -LiteralPath $SongFiles[1].FullName | Export-EmbeddingNpy -OutputDirectory $Out -Force).Status | Should -Be 'Written'
    }
}

Describe 'Ctrl+C during a search' {
    It 'stops the pipeline and releases the mapped library (a stop on another thread must not unmap it under a scan)' -Skip:(-not $IsLinux) {
        # 3,000 songs of 768 random floats, written as .npy without any helper.
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'stop/mert') -Force
        $header = "{'descr': '<f4', 'fortran_order': False, 'shape': (768,), }"
        $header += ' ' * (64 - (10 + $header.Length + 1) % 64) + "`n"
        $prefix = [byte[]](0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0) + [BitConverter]::GetBytes([uint16]$header.Length) + [Text.Encoding]::ASCII.GetBytes($header)
        $rng = [Random]::new(3)
        $values = [float[]]::new(768)
        $bytes = [byte[]]::new(768 * 4)
        for ($i = 0; $i -lt 3000; $i++) {
            for ($j = 0; $j -lt 768; $j++) { $values[$j] = [float]($rng.NextDouble() - 0.5) }
            [Buffer]::BlockCopy($values, 0, $bytes, 0, $bytes.Length)
            [IO.File]::WriteAllBytes((Join-Path $dir ('s{0:D5}.npy' -f $i)), $prefix + $bytes)
        }

        # The search pipeline in a runspace of its own, stopped from this thread while it runs: Ctrl+C.
        $manifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/AudioEmbed/AudioEmbed.psd1'))
        $rs = [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        $rs.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $rs
        $null = $ps.AddScript("Import-Module '$manifest'; Import-EmbeddingNpy '$dir/*.npy' | Find-SimilarAudio -OutputDirectory '$(Split-Path $dir)' -Model Mert -Top 3")
        $results = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $inputs = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $inputs.Complete()
        try {
            $running = $ps.BeginInvoke($inputs, $results)
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ($results.Count -lt 300 -and -not $running.IsCompleted -and $clock.Elapsed.TotalMinutes -lt 3) { Start-Sleep -Milliseconds 5 }
            $running.IsCompleted | Should -BeFalse -Because 'the search must still be running when it is stopped'
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $results.Count | Should -BeLessThan 9000 -Because 'a stopped search writes no more results'

            # The cmdlet's Dispose released every mapping of the library's cache files.
            $cache = Join-Path $dir '.library'
            @(Get-ChildItem -LiteralPath $cache -Filter *.f16).Count | Should -Be 1
            @(Get-Content /proc/self/maps | Where-Object { $_.Contains($cache) }) | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose(); $rs.Dispose() }
    }
}
