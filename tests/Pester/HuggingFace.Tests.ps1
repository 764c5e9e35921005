#Requires -Version 7.4
<#
    MERT and EnCodecMAE installed the way their users get them (Pester 5), against the built module:
    from the Hugging Face cache the Python pipeline fills (no network), from a Hugging Face hub (a loopback hub
    started here that answers like the real one: 302 to a CDN path with X-Repo-Commit, X-Linked-Etag, X-Linked-Size),
    with -SourcePath pointing at the seed pipeline's keras_checkpoints folder, then a real song embedded and the
    model uninstalled. The checkpoints are the tiny real-format ones of ../shared/fixtures under the real file names.
    Run after 'dotnet build':  Invoke-Pester ./tests/Pester/HuggingFace.Tests.ps1
#>

BeforeDiscovery {
    $sharedRoot = Join-Path $PSScriptRoot '../../../shared'
    $HasShared = (Test-Path -LiteralPath (Join-Path $sharedRoot 'fixtures/encodecmae/tiny-mel256/model.pt')) -and
                 (Test-Path -LiteralPath (Join-Path $sharedRoot 'fixtures/mert/tiny-95m-style/pytorch_model.bin')) -and
                 (Test-Path -LiteralPath (Join-Path $sharedRoot 'audio'))
    if (-not $HasShared) { Write-Warning "HuggingFace tests: '$sharedRoot' (tiny checkpoints, songs) is absent; they are skipped." }
}

BeforeAll {
    $ModuleManifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/AudioEmbed/AudioEmbed.psd1'))
    if (-not (Test-Path -LiteralPath $ModuleManifest)) { throw "The module is not built: '$ModuleManifest' is missing. Run 'dotnet build' first." }
    Import-Module $ModuleManifest -Force

    $Shared = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
    $Saved = @{}
    foreach ($name in 'AUDIOEMBED_HOME', 'AUDIOEMBED_OFFLINE', 'AUDIOEMBED_CATALOG', 'HF_HUB_CACHE', 'HF_HOME', 'HF_ENDPOINT', 'HF_TOKEN', 'HF_HUB_OFFLINE') {
        $Saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $env:AUDIOEMBED_HOME = Join-Path $TestDrive 'store'
    $env:AUDIOEMBED_OFFLINE = '1'
    $env:HF_HOME = Join-Path $TestDrive 'hf-home'   # never the user's own cache or token
    $env:HF_HUB_CACHE = Join-Path $TestDrive 'hf-empty'

    function Get-Sha256([byte[]] $Bytes) { [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant() }
    function Get-GitBlobSha1([byte[]] $Bytes) {
        $header = [Text.Encoding]::ASCII.GetBytes("blob $($Bytes.Length)`0")
        [Convert]::ToHexString([Security.Cryptography.SHA1]::HashData([byte[]]($header + $Bytes))).ToLowerInvariant()
    }

    # A Hugging Face cache as huggingface_hub lays it out: refs/main, snapshots/<commit>/<file> -> ../../blobs/<hash>.
    function New-HfCache([string] $Root, [string] $Repository, [string] $Commit, [hashtable] $Files) {
        $repo = Join-Path $Root ('models--' + $Repository.Replace('/', '--'))
        $snapshot = Join-Path $repo "snapshots/$Commit"
        New-Item -ItemType Directory -Force -Path $snapshot, (Join-Path $repo 'blobs'), (Join-Path $repo 'refs') | Out-Null
        foreach ($name in $Files.Keys) {
            [byte[]] $bytes = $Files[$name]
            $blobName = if ($name -match '\.(pt|bin|safetensors)$') { Get-Sha256 $bytes } else { Get-GitBlobSha1 $bytes }
            [IO.File]::WriteAllBytes((Join-Path $repo "blobs/$blobName"), $bytes)
            New-Item -ItemType SymbolicLink -Path (Join-Path $snapshot $name) -Target "../../blobs/$blobName" | Out-Null
        }
        Set-Content -LiteralPath (Join-Path $repo 'refs/main') -Value $Commit -NoNewline
        $repo
    }

    # A loopback hub answering like huggingface.co: LFS files 302 to /cdn/<sha256> with X-Repo-Commit, X-Linked-Etag,
    # X-Linked-Size; small files 200 with the git blob SHA-1 as ETag; a repository may require a bearer token (401).
    function Start-TestHub([string] $Repository, [string] $Commit, [hashtable] $Files, [string] $Token) {
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $listener = [Net.HttpListener]::new()
        $url = "http://127.0.0.1:$port"
        $listener.Prefixes.Add("$url/")
        $listener.Start()
        $log = [Collections.Concurrent.ConcurrentQueue[string]]::new()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($listener, $url, $repository, $commit, $files, $token, $log)
            $cdn = @{}
            foreach ($k in $files.Keys) { $cdn[[Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([byte[]]$files[$k])).ToLowerInvariant()] = [byte[]]$files[$k] }
            for ($i = 0; $i -lt 200 -and $listener.IsListening; $i++) {
                try { $context = $listener.GetContext() } catch { return }
                $request = $context.Request; $response = $context.Response
                $path = [Uri]::UnescapeDataString($request.Url.AbsolutePath)
                $log.Enqueue("$($request.HttpMethod) $path auth=$($request.Headers['Authorization'])")
                try {
                    if ($path -match '^/cdn/([0-9a-f]{64})$' -and $cdn.ContainsKey($Matches[1])) {
                        [byte[]] $body = $cdn[$Matches[1]]
                        $response.ContentLength64 = $body.Length
                        if ($request.HttpMethod -ne 'HEAD') { $response.OutputStream.Write($body, 0, $body.Length) }
                    }
                    elseif ($path -match '^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$') {
                        $repo = $Matches[1]; $rev = $Matches[2]; $file = $Matches[3]
                        if ($repo -ne $repository) { $response.StatusCode = 404; $response.AddHeader('X-Error-Code', 'RepoNotFound') }
                        elseif ($token -and $request.Headers['Authorization'] -ne "Bearer $token") { $response.StatusCode = 401; $response.AddHeader('X-Error-Code', 'GatedRepo') }
                        elseif ($rev -ne 'main' -and $rev -ne $commit) { $response.StatusCode = 404; $response.AddHeader('X-Error-Code', 'RevisionNotFound') }
                        elseif (-not $files.ContainsKey($file)) { $response.StatusCode = 404; $response.AddHeader('X-Error-Code', 'EntryNotFound') }
                        else {
                            [byte[]] $body = $files[$file]
                            $response.AddHeader('X-Repo-Commit', $commit)
                            if ($file -match '\.(pt|bin|safetensors)$') {
                                $sha = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($body)).ToLowerInvariant()
                                $response.StatusCode = 302
                                $response.AddHeader('X-Linked-Etag', "`"$sha`"")
                                $response.AddHeader('X-Linked-Size', "$($body.Length)")
                                $response.AddHeader('Location', "$url/cdn/$sha")
                                $response.ContentLength64 = 0
                            }
                            else {
                                $header = [Text.Encoding]::ASCII.GetBytes("blob $($body.Length)`0")
                                $sha1 = [Convert]::ToHexString([Security.Cryptography.SHA1]::HashData([byte[]]($header + $body))).ToLowerInvariant()
                                $response.AddHeader('ETag', "`"$sha1`"")
                                $response.ContentLength64 = $body.Length
                                if ($request.HttpMethod -ne 'HEAD') { $response.OutputStream.Write($body, 0, $body.Length) }
                            }
                        }
                    }
                    else { $response.StatusCode = 404 }
                    $response.Close()
                }
                catch { try { $response.Abort() } catch { } }
            }
        }).AddArgument($listener).AddArgument($url).AddArgument($Repository).AddArgument($Commit).AddArgument($Files).AddArgument($Token).AddArgument($log)
        $handle = $ps.BeginInvoke()
        [pscustomobject]@{ Url = $url; Listener = $listener; PowerShell = $ps; Handle = $handle; Log = $log }
    }

    function Stop-TestHub($Hub) {
        $Hub.Listener.Stop(); $Hub.Listener.Close()
        $null = $Hub.Handle.AsyncWaitHandle.WaitOne(5000)
        $Hub.PowerShell.Dispose()
    }
}

AfterAll {
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    Remove-Module AudioEmbed -ErrorAction SilentlyContinue
}

Describe 'Installing MERT and EnCodecMAE from the Hugging Face cache and hub' -Skip:(-not $HasShared) {
    BeforeAll {
        $EncodecBytes = [IO.File]::ReadAllBytes((Join-Path $Shared 'fixtures/encodecmae/tiny-mel256/model.pt'))
        $Song = Join-Path $Shared 'audio/joram-moments_of_clarity-08-solipsism-59-88.mp3'
        $FixtureWav = Join-Path $Shared 'fixtures/encodecmae/tiny-mel256/input.wav'
    }

    It 'a cache-only machine installs EnCodecMAE from the cache, embeds a real song, and uninstalling keeps the cache' {
        $cache = Join-Path $TestDrive 'hf-cache'
        $commit = 'a' * 40
        $repo = New-HfCache -Root $cache -Repository 'lpepino/encodecmae-v2' -Commit $commit -Files @{ 'mel256-ec-base_st.pt' = $EncodecBytes }
        $env:HF_HUB_CACHE = $cache
        try {
            $status = Install-AudioEmbedModel -Model EnCodecMAE -InformationVariable info -WarningVariable warnings
            $status.Installed | Should -BeTrue
            ($info -join ' ') | Should -Match 'taken from the Hugging Face cache'
            ($info -join ' ') | Should -Match 'licence not stated by the authors'
            ($warnings -join ' ') | Should -Match 'verified by the Hugging Face hub, not pinned by AudioEmbed'
            $manifest = Get-Content -Raw (Join-Path $status.Location 'manifest.json') | ConvertFrom-Json
            $manifest.sources[0].via | Should -Be 'huggingface-cache'
            $manifest.sources[0].commit | Should -Be $commit

            $e = Get-AudioEmbedding -LiteralPath $Song -Model EnCodecMAE
            $e.Dimension | Should -Be 32
            $e.Vector | ForEach-Object { [float]::IsFinite($_) } | Should -Not -Contain $false
            $expected = [float[]](& { $b = [IO.File]::ReadAllBytes((Join-Path $Shared 'fixtures/encodecmae/tiny-mel256/mean_pooled.npy')); for ($i = 128; $i -lt $b.Length; $i += 4) { [BitConverter]::ToSingle($b, $i) } })
            $v = (Get-AudioEmbedding -LiteralPath $FixtureWav -Model EnCodecMAE).Vector
            for ($i = 0; $i -lt $expected.Count; $i++) { [Math]::Abs($v[$i] - $expected[$i]) | Should -BeLessOrEqual 1e-4 }

            Get-AudioEmbedModel EnCodecMAE -Installed | Uninstall-AudioEmbedModel -WhatIf
            (Get-AudioEmbedModel EnCodecMAE -Installed) | Should -Not -BeNullOrEmpty
            Get-AudioEmbedModel EnCodecMAE -Installed | Uninstall-AudioEmbedModel -Confirm:$false
            Get-AudioEmbedModel EnCodecMAE -Installed | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath (Join-Path $repo 'blobs') | Should -HaveCount 1
        }
        finally { $env:HF_HUB_CACHE = Join-Path $TestDrive 'hf-empty' }
    }

    It 'a blob that does not match its name is refused, naming the file, repository and revision' {
        $cache = Join-Path $TestDrive 'hf-damaged'
        $repo = New-HfCache -Root $cache -Repository 'lpepino/encodecmae-v2' -Commit ('b' * 40) -Files @{ 'mel256-ec-base_st.pt' = $EncodecBytes }
        $blob = Get-ChildItem -LiteralPath (Join-Path $repo 'blobs') | Select-Object -First 1
        $bytes = [IO.File]::ReadAllBytes($blob.FullName); $bytes[100] = $bytes[100] -bxor 0xFF; [IO.File]::WriteAllBytes($blob.FullName, $bytes)
        $env:HF_HUB_CACHE = $cache
        try {
            $null = Install-AudioEmbedModel -Model EnCodecMAE -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.InstallFailed*'
            $failed[0].Exception.Message | Should -Match 'mel256-ec-base_st\.pt of lpepino/encodecmae-v2 at revision main'
            $failed[0].Exception.Message | Should -Match 'does not match its own name'
            Get-AudioEmbedModel EnCodecMAE -Installed | Should -BeNullOrEmpty
        }
        finally { $env:HF_HUB_CACHE = Join-Path $TestDrive 'hf-empty' }
    }

    It 'online: EnCodecMAE downloads from the hub, hub-verified, and the token never shows' {
        $token = 'hf_PesterSecret_987654321'
        $hub = Start-TestHub -Repository 'lpepino/encodecmae-v2' -Commit ('c' * 40) -Files @{ 'mel256-ec-base_st.pt' = $EncodecBytes } -Token $token
        $env:AUDIOEMBED_OFFLINE = $null
        $env:HF_ENDPOINT = $hub.Url
        $env:HF_TOKEN = $token
        try {
            $store = Join-Path $TestDrive 'online-store'
            $all = Install-AudioEmbedModel -Model EnCodecMAE -ModelPath $store -Verbose *>&1 | Out-String
            $all | Should -Match 'verified by the Hugging Face hub'
            $all | Should -Not -Match $token
            $status = Get-AudioEmbedModel EnCodecMAE -Installed -ModelPath $store
            $status.Installed | Should -BeTrue
            (Get-Content -Raw (Join-Path $status.Location 'manifest.json')) | Should -Not -Match $token
            (Get-Content -Raw (Join-Path $status.Location 'manifest.json') | ConvertFrom-Json).sources[0].commit | Should -Be ('c' * 40)
            # This hub and its CDN path share one origin, so the token may go to both; a CDN on another host never
            # gets it (HubClientTests and HubInstallCmdletTests check that with a second server).
            @($hub.Log | Where-Object { $_ -like '*/resolve/*' -and $_ -like "*Bearer $token*" }).Count | Should -BeGreaterThan 0
            (Get-AudioEmbedding -LiteralPath $Song -Model EnCodecMAE -ModelPath $store).Dimension | Should -Be 32
            Uninstall-AudioEmbedModel EnCodecMAE -ModelPath $store -Confirm:$false
            Get-AudioEmbedModel EnCodecMAE -Installed -ModelPath $store | Should -BeNullOrEmpty

            $env:HF_TOKEN = $null
            $null = Install-AudioEmbedModel -Model EnCodecMAE -ModelPath $store -ErrorVariable denied -ErrorAction SilentlyContinue
            $denied[0].Exception.Message | Should -Match '401'
            $denied[0].Exception.Message | Should -Match 'HF_TOKEN'
        }
        finally {
            Stop-TestHub $hub
            $env:AUDIOEMBED_OFFLINE = '1'; $env:HF_ENDPOINT = $null; $env:HF_TOKEN = $null
        }
    }

    It 'online: MERT installs only with -AcceptLicense, and the shipped pins refuse bytes that are not the real checkpoint' {
        $files = @{}
        foreach ($f in 'config.json', 'preprocessor_config.json', 'pytorch_model.bin') { $files[$f] = [IO.File]::ReadAllBytes((Join-Path $Shared "fixtures/mert/tiny-95m-style/$f")) }
        $hub = Start-TestHub -Repository 'm-a-p/MERT-v1-95M' -Commit '12af15fef9d0ac838c3f475bfbbf26d2060dd4f5' -Files $files
        $env:AUDIOEMBED_OFFLINE = $null
        $env:HF_ENDPOINT = $hub.Url
        try {
            $store = Join-Path $TestDrive 'mert-store'
            $null = Install-AudioEmbedModel -Model Mert -ModelPath $store -ErrorVariable noLicence -ErrorAction SilentlyContinue
            $noLicence[0].FullyQualifiedErrorId | Should -BeLike 'AudioEmbed.LicenseNotAccepted*'
            $null = Install-AudioEmbedModel -Model Mert -AcceptLicense -ModelPath $store -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused[0].Exception.Message | Should -Match 'config\.json of m-a-p/MERT-v1-95M at revision 12af15fef9d0ac838c3f475bfbbf26d2060dd4f5'
            Get-AudioEmbedModel Mert -Installed -ModelPath $store | Should -BeNullOrEmpty

            # A fine-tuned repository (here the same tiny files) installs hub-verified under a name of yours.
            $status = Install-AudioEmbedModel -Model Mert -Repository m-a-p/MERT-v1-95M -Name tiny-mert -ModelPath $store -WarningAction SilentlyContinue
            $status.Variant | Should -Be 'tiny-mert'
            (Get-AudioEmbedding -LiteralPath $Song -Model Mert -Variant tiny-mert -ModelPath $store).Dimension | Should -Be 32
            Uninstall-AudioEmbedModel Mert tiny-mert -ModelPath $store -Confirm:$false
        }
        finally {
            Stop-TestHub $hub
            $env:AUDIOEMBED_OFFLINE = '1'; $env:HF_ENDPOINT = $null
        }
    }

    It "-SourcePath takes the seed pipeline's keras_checkpoints folder and installs every variant" {
        $seed = Join-Path $TestDrive 'musicnn_keras/keras_checkpoints'
        New-Item -ItemType Directory -Force -Path $seed | Out-Null
        foreach ($v in 'MTT_musicnn', 'MSD_musicnn', 'MTT_vgg', 'MSD_vgg') { Copy-Item (Join-Path $Shared "models/musicnn/$v.h5") $seed }
        $store = Join-Path $TestDrive 'seed-store'
        $installed = Install-AudioEmbedModel -Model MusiCNN -SourcePath $seed -ModelPath $store
        ($installed.Variant | Sort-Object) -join ',' | Should -Be 'MSD_musicnn,MSD_vgg,MTT_musicnn,MTT_vgg'
    }
}
