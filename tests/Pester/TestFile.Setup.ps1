# Dot-sourced by the per-cmdlet test files in BeforeAll (so the variables land in the file's scope): the helpers, an
# isolated environment (store in TestDrive, downloads off, the user's Hugging Face settings out of the way; restore it
# in AfterAll with Restore-TestEnvironment $Saved), the built module's manifest, MusiCNN's tolerance and variants.
Import-Module (Join-Path $PSScriptRoot 'AudioEmbedTestUtils.psm1') -Force
$Saved = Initialize-TestEnvironment -StorePath (Join-Path $TestDrive 'store')
$ModuleManifest = Get-TestModuleManifest
$Tolerance = 2e-3 # absolute, end to end from the audio (fixtures/musicnn/README.md; measured about 1e-6)
$MusicnnVariants = 'MTT_musicnn', 'MSD_musicnn', 'MTT_vgg', 'MSD_vgg'
