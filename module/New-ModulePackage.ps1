<#
.SYNOPSIS
    Makes the PowerShell Gallery package of TlsTools (a .nupkg) from a built tree.
.DESCRIPTION
    Stages exactly what a user installs - the manifest, the root module, the assemblies (module/bin, with the
    ReadyToRun images the build made in module/bin/r2r), the format and
    type data, the MAML help and about topics (en-US), LICENSE, README.md and CHANGELOG.md - with the release notes of
    the manifest's version taken from CHANGELOG.md, then packs it with PSResourceGet's Compress-PSResource (the same
    layout Publish-PSResource uploads). Run after a build; build.ps1 package does both.
.OUTPUTS
    System.IO.FileInfo of the .nupkg.
#>
[CmdletBinding()]
param(
    # Where the .nupkg goes (default: artifacts/ at the repository root).
    [string] $OutputDirectory = (Join-Path (Split-Path $PSScriptRoot -Parent) 'artifacts')
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$manifestPath = Join-Path $root 'TlsTools.psd1'
$version = (Import-PowerShellDataFile $manifestPath).ModuleVersion
foreach ($need in 'module/bin/TlsTools.PowerShell.dll', 'module/bin/loader/TlsTools.Loader.dll', 'en-US/TlsTools.PowerShell.dll-Help.xml') {
    if (-not (Test-Path (Join-Path $root $need))) { throw "Build first: $need is missing (dotnet pwsh ./build.ps1 build)." }
}

# The release notes: the CHANGELOG section of this version, up to the next "## " heading.
$changelog = Get-Content (Join-Path $root 'CHANGELOG.md')
$start = [array]::FindIndex([string[]]$changelog, [Predicate[string]]{ param($l) $l -match "^## $([regex]::Escape($version))\b" })
if ($start -lt 0) { throw "CHANGELOG.md has no section '## $version' for the manifest's ModuleVersion." }
$notes = @($changelog | Select-Object -Skip ($start + 1) | ForEach-Object -Begin { $stop = $false } -Process {
        if ($_ -match '^## ') { $stop = $true }; if (-not $stop) { $_ } }) -join "`n"

$stage = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-package-' + [guid]::NewGuid().ToString('n'))
$moduleDir = Join-Path $stage 'TlsTools'
try {
    New-Item -ItemType Directory -Force -Path (Join-Path $moduleDir 'module/bin/loader'), (Join-Path $moduleDir 'module/bin/en-US'), (Join-Path $moduleDir 'en-US') | Out-Null
    foreach ($f in 'LICENSE', 'README.md', 'CHANGELOG.md') { Copy-Item (Join-Path $root $f) $moduleDir }
    Copy-Item (Join-Path $root 'module/TlsTools.psm1'), (Join-Path $root 'module/*.ps1xml') (Join-Path $moduleDir 'module')
    Copy-Item (Join-Path $root 'module/bin/*.dll') (Join-Path $moduleDir 'module/bin')
    Copy-Item (Join-Path $root 'module/bin/loader/*.dll') (Join-Path $moduleDir 'module/bin/loader')
    # ReadyToRun images (module/bin/r2r/<framework>-<rid>/, ~13 MB per platform) for the platforms this build made;
    # the loader falls back to the IL above on the others.
    foreach ($r2r in Get-ChildItem (Join-Path $root 'module/bin/r2r') -Directory -ErrorAction Ignore) {
        $to = Join-Path $moduleDir "module/bin/r2r/$($r2r.Name)"
        New-Item -ItemType Directory -Force -Path $to | Out-Null
        Copy-Item (Join-Path $r2r.FullName '*.dll') $to
    }
    Copy-Item (Join-Path $root 'module/bin/en-US/*') (Join-Path $moduleDir 'module/bin/en-US')
    Copy-Item (Join-Path $root 'en-US/*') (Join-Path $moduleDir 'en-US')
    # The manifest, with this version's release notes instead of the pointer the repository's copy carries.
    $text = Get-Content $manifestPath -Raw
    $quoted = "@'`n" + $notes.Trim() + "`n'@"
    $text = [regex]::Replace($text, "ReleaseNotes\s*=\s*'[^']*'", { param($m) 'ReleaseNotes = ' + $quoted })
    Set-Content -Path (Join-Path $moduleDir 'TlsTools.psd1') -Value $text -Encoding utf8NoBOM
    $null = Test-ModuleManifest (Join-Path $moduleDir 'TlsTools.psd1')

    New-Item -ItemType Directory -Force -Path $OutputDirectory | Out-Null
    $target = Join-Path $OutputDirectory "TlsTools.$version.nupkg"
    Remove-Item $target -ErrorAction Ignore
    Compress-PSResource -Path $moduleDir -DestinationPath $OutputDirectory
    Get-Item $target
}
finally {
    Remove-Item $stage -Recurse -Force -ErrorAction Ignore
}
