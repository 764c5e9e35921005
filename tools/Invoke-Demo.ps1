<#
.SYNOPSIS
    The README's first command after the build: installs MusiCNN, embeds every song of a folder, says where the .npy files went.
.DESCRIPTION
    MusiCNN comes from ../shared/models/musicnn when that folder is there (no download), else from its pinned upstream
    URL (SHA-256 checked). Every audio file of -AudioPath is embedded, whatever its format; a file that cannot be
    (an Ogg file on a machine without ffmpeg, say) is reported with the reason and the others go on. Exits 1 when no
    song was embedded or a song failed for another reason than a missing ffmpeg.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [string] $AudioPath = (Join-Path $PSScriptRoot '../../shared/audio'),
    [string] $OutputDirectory = (Join-Path $PSScriptRoot '../output/embeddings'),
    [string] $CheckpointPath = (Join-Path $PSScriptRoot '../../shared/models/musicnn')
)
$ErrorActionPreference = 'Stop'
$full = { param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p) }
Import-Module (& $full $ModulePath) -Force
$AudioPath = & $full $AudioPath
$OutputDirectory = & $full $OutputDirectory

$installed = { Get-AudioEmbedModel -Model MusiCNN -Installed | Where-Object Variant -eq 'MTT_musicnn' }
if (& $installed) {
    Write-Host "MusiCNN (MTT_musicnn) is already installed in the model store."
}
elseif (Test-Path -LiteralPath (Join-Path $CheckpointPath 'MTT_musicnn.h5')) {
    Write-Host "Installing MusiCNN from $CheckpointPath ..."
    $null = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath $CheckpointPath
}
else {
    Write-Host "Installing MusiCNN from its upstream URL (SHA-256 checked) ..."
    $null = Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn
}
$model = & $installed
Write-Host "Model store: $($model.Location)"

if (-not (Test-Path -LiteralPath $AudioPath -PathType Container)) { throw "The song folder '$AudioPath' does not exist (-AudioPath)." }
# Every file that is audio, by content (the folder also holds the songs' licence notes): what Get-AudioFileInfo reads,
# and what it recognises but cannot read here (an Ogg file without ffmpeg), so that its embedding says why it failed.
$songs = @(Get-ChildItem -LiteralPath $AudioPath -File | Where-Object {
        $infoErrors = $null
        $info = Get-AudioFileInfo -LiteralPath $_.FullName -ErrorAction SilentlyContinue -ErrorVariable infoErrors
        $null -ne $info -or -not ($infoErrors | Where-Object { $_.Exception.Message -match 'not an audio file' }) })
$byFormat = ($songs | Group-Object { $_.Extension.TrimStart('.').ToLowerInvariant() } | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
Write-Host "Embedding $($songs.Count) songs of $AudioPath ($byFormat) ..."

$failures = @()
$results = @($songs | Get-AudioEmbedding -Model MusiCNN -ErrorVariable +failures -ErrorAction SilentlyContinue |
        Export-EmbeddingNpy -OutputDirectory $OutputDirectory -ErrorVariable +failures -ErrorAction SilentlyContinue)
$written = @($results | Where-Object { "$($_.Status)" -eq 'Written' })
foreach ($r in $written) { Write-Host "  ok      $(Split-Path -Leaf $r.Path) -> $($r.OutputPath)" }
$needFFmpeg = 0
foreach ($f in $failures) {
    $file = if ($f.TargetObject -is [string]) { Split-Path -Leaf $f.TargetObject } else { "$($f.TargetObject)" }
    if ($f.Exception.Message -match 'ffmpeg') { $needFFmpeg++ }
    Write-Host "  FAILED  ${file}: $($f.Exception.Message)"
}

$folder = Join-Path $OutputDirectory 'musicnn'
Write-Host ""
Write-Host "Embedded $($written.Count) of $($songs.Count) songs; $($failures.Count) failed$(if ($needFFmpeg) { " ($needFFmpeg need ffmpeg, which was not found: install it and run again to embed them)" })."
Write-Host "The .npy files are in $folder (numpy.load reads them; manifest.jsonl lists each with its source)."
if ($written.Count -eq 0 -or $failures.Count -gt $needFFmpeg) { exit 1 }
