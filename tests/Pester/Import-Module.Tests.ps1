#Requires -Version 7.4
<#
    Import-Module AudioEmbed: dependency isolation from other modules' assemblies (in a child pwsh).
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

Describe 'Import-Module AudioEmbed beside another module' -Skip:(-not $HasShared) {
    BeforeAll {
        $P = Initialize-TestMusicnnProject -Root $TestDrive -Variants 'MTT_musicnn'
        $Project = $P.Project; $AudioDir = $P.AudioDir; $Wav = $P.Wav; $Trw = $P.Trw; $Joram = $P.Joram
        $SongNames = $P.SongNames; $FixtureDir = $P.FixtureDir; $CheckpointDir = $P.CheckpointDir
        Push-Location -LiteralPath $Project
    }

    AfterAll {
        Pop-Location
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
            # A fresh pwsh: under the .NET tool (Get-Process -Id $PID).Path is dotnet, so Invoke-TestPwsh starts $PSHOME's pwsh.
            $run = Invoke-TestPwsh -ScriptPath $script
            $output = $run.Output
            $run.ExitCode | Should -Be 0 -Because $run.Text
            ($output -join "`n") | Should -Match 'dimension=753'
            ($output -join "`n") | Should -Match 'old-bytes=2'
        }
    }
}
