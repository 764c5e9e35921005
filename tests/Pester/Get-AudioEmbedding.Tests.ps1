#Requires -Version 7.4
<#
    Get-AudioEmbedding: the quick start, variants, layers, tags, resampling, -SkipExisting, sequences, bad input, devices.
    Pester 5 against the built module (out/AudioEmbed); helpers in AudioEmbedTestUtils.psm1. The model store is a
    TestDrive folder and downloads are forbidden (AUDIOEMBED_OFFLINE=1); tests that need ../shared skip when it is absent.
    Numerical tolerance: 2e-3 absolute (fixtures/musicnn/README.md: end to end from the audio; measured about 1e-6).
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestFile.Discovery.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestFile.Setup.ps1')
}

AfterAll {
    Restore-TestEnvironment $Saved
}

Describe 'Get-AudioEmbedding without an installed model (no checkpoint needed)' {
    BeforeAll {
        $Tone = Join-Path $TestDrive 'tone.wav'
        New-TestTone -Path $Tone
    }

    It 'a model that is not installed stops with a message naming Install-AudioEmbedModel' {
        $err = { Get-AudioEmbedding -LiteralPath $Tone } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.ModelUnavailable*'
        $err.Exception.Message | Should -Match 'Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn'
        $err.Exception.Message | Should -Match 'AUDIOEMBED_OFFLINE'
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
}

Describe 'Get-AudioEmbedding on the shared example songs' -Skip:(-not $HasShared) {
    BeforeAll {
        $P = Initialize-TestMusicnnProject -Root $TestDrive -Variants $MusicnnVariants
        $Project = $P.Project; $AudioDir = $P.AudioDir; $Wav = $P.Wav; $Trw = $P.Trw; $Joram = $P.Joram
        $SongNames = $P.SongNames; $FixtureDir = $P.FixtureDir; $CheckpointDir = $P.CheckpointDir
        Push-Location -LiteralPath $Project
    }

    AfterAll {
        Pop-Location
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
}
