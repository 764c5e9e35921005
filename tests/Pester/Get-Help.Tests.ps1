#Requires -Version 7.4
<#
    Get-Help: every cmdlet's help and about_AudioEmbed.
    Pester 5 against the built module (out/AudioEmbed); helpers in AudioEmbedTestUtils.psm1. The model store is a
    TestDrive folder and downloads are forbidden (AUDIOEMBED_OFFLINE=1); tests that need ../shared skip when it is absent.
    Numerical tolerance: 2e-3 absolute (fixtures/musicnn/README.md: end to end from the audio; measured about 1e-6).
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestFile.Discovery.ps1')
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
    . (Join-Path $PSScriptRoot 'TestFile.Setup.ps1')
}

AfterAll {
    Restore-TestEnvironment $Saved
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
