#Requires -Version 7.4
<#
    Get-AudioEmbedDevice: which devices initialise, and what the others need.
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
