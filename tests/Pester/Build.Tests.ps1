#Requires -Version 7.4
<#
    ./build.ps1 -Flavor Cuda: restores Microsoft.ML.OnnxRuntime.Gpu at the CPU package's version, assembles the GPU
    module (about 520 MB) into a TestDrive folder and imports it in a fresh pwsh. Large and slow (minutes, a few
    hundred MB of packages), so it runs only when AUDIOEMBED_TEST_GPU_BUILD=1 asks; otherwise it is skipped with that reason.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
    $RepoRoot = Get-TestRepoRoot
}

Describe 'build.ps1 -Flavor Cuda' {
    It 'restores ONNX Runtime GPU at the CPU package version, assembles the module and says its size; without CUDA the module names what is missing' {
        if ($env:AUDIOEMBED_TEST_GPU_BUILD -ne '1') {
            Set-ItResult -Skipped -Because 'the GPU build downloads and assembles about 520 MB: set AUDIOEMBED_TEST_GPU_BUILD=1 to run it'
            return
        }
        $moduleDir = Join-Path $TestDrive 'cuda/AudioEmbed'
        $build = Join-Path $TestDrive 'build-cuda.ps1'
        "& '$(Join-Path $RepoRoot 'build.ps1')' -Flavor Cuda -ModuleDirectory '$moduleDir'" | Set-Content -LiteralPath $build
        $run = Invoke-TestPwsh -ScriptPath $build
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Text | Should -Match 'Module assembled in .*\(Cuda flavour, [\d.,]+ MB'

        # The same ONNX Runtime release as the CPU package: one property sets both.
        [xml] $core = Get-Content -Raw -LiteralPath (Join-Path $RepoRoot 'src/AudioEmbed.Core/AudioEmbed.Core.csproj')
        $version = @($core.Project.PropertyGroup.OnnxRuntimeVersion | Where-Object { $_ })[0]
        $assets = Get-Content -Raw -LiteralPath (Join-Path $RepoRoot 'out/build-cuda/obj/AudioEmbed.Core/project.assets.json') | ConvertFrom-Json
        $assets.libraries.PSObject.Properties.Name | Should -Contain "Microsoft.ML.OnnxRuntime.Gpu/$version"
        $assets.libraries.PSObject.Properties.Name | Should -Not -Contain "Microsoft.ML.OnnxRuntime/$version"

        $native = if ($IsWindows) { 'runtimes/win-x64/native/onnxruntime_providers_cuda.dll' } else { 'runtimes/linux-x64/native/libonnxruntime_providers_cuda.so' }
        Join-Path $moduleDir $native | Should -Exist

        $probe = Join-Path $TestDrive 'probe.ps1'
        @"
Import-Module '$moduleDir/AudioEmbed.psd1'
`$cuda = Get-AudioEmbedDevice -Device Cuda
'compiled=' + `$cuda.ProviderCompiledIn
'available=' + `$cuda.Available
'reason=' + `$cuda.Reason
"@ | Set-Content -LiteralPath $probe
        $device = Invoke-TestPwsh -ScriptPath $probe
        $device.ExitCode | Should -Be 0 -Because $device.Text
        $device.Text | Should -Match 'compiled=True'
        if ($device.Text -match 'available=False') {
            $device.Text | Should -Match "carries ONNX Runtime's GPU build"
            $device.Text | Should -Match 'Missing on this machine|all load'
        }
    }
}
