@{
    RootModule           = 'AudioEmbed.PowerShell.dll'
    # Imported before the root module: routes AudioEmbed.Core and its dependencies (in dependencies/) into the
    # module's own AssemblyLoadContext, so other modules' versions of ONNX Runtime, Protobuf, ... do not collide.
    NestedModules        = @('AudioEmbed.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '04897e89-fef4-4a19-a9e4-36b35f05f00f'
    Author               = 'AudioEmbed'
    CompanyName          = 'AudioEmbed'
    Copyright            = '(c) AudioEmbed contributors. Model checkpoints keep their own licences.'
    Description          = 'Audio embeddings (MusiCNN, MERT and EnCodecMAE) computed with ONNX Runtime from the original checkpoints, converted in C#: no Python.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @(
        'Get-AudioEmbedding'
        'Export-EmbeddingNpy'
        'Import-EmbeddingNpy'
        'Get-EmbeddingStatus'
        'Install-AudioEmbedModel'
        'Uninstall-AudioEmbedModel'
        'Get-AudioEmbedModel'
        'Get-AudioEmbedDevice'
        'Get-AudioFileInfo'
        'Find-SimilarAudio'
        'Export-EmbeddingTable'
        'Compare-AudioEmbedding'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    FormatsToProcess     = @('AudioEmbed.format.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags         = @('audio', 'embedding', 'music', 'onnx', 'musicnn', 'mert', 'encodecmae', 'machine-learning', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            # No ProjectUri, LicenseUri or HelpInfoURI: the project has no public home yet, and a made-up address would
            # send PSResourceGet users nowhere.
            ReleaseNotes = 'MusiCNN (four variants), MERT (95M, 330M) and EnCodecMAE (base, large) end to end; managed MP3, FLAC, WAV/AIFF decoders, ffmpeg for other formats.'
        }
    }
}
