<#
.SYNOPSIS
    Makes a copy of the running PowerShell whose own assemblies are precompiled (ReadyToRun), as PowerShell's release
    packages ship them, for the start-up benchmarks; prints the path of its pwsh.dll (run it as `dotnet <path>`).
.DESCRIPTION
    The repository's PowerShell is the `powershell` dotnet tool package, whose assemblies are IL only: every method of
    PowerShell itself (module import, parameter binding, formatting) is JIT-compiled in each new process. PowerShell's
    release packages (deb, rpm, msi, zip, tar.gz) are built with `Start-PSBuild -Crossgen` (ReadyToRun), so what users
    start is much quicker to import a module and to run its first commands. A start-up figure taken only in the tool's
    pwsh would therefore charge TlsTools with PowerShell's own JIT work; the start-up benchmarks measure in both.

    This copies the directory of the running PowerShell (the one whose System.Management.Automation.dll is loaded) to
    -Destination and compiles every IL-only assembly in it with crossgen2 from the
    microsoft.netcore.app.crossgen2.<rid> package of the running .NET version (restored by `./build.ps1 build`, which
    publishes the module's own ReadyToRun images with it). Nothing of the repository's PowerShell is changed. An existing
    copy made from the same PowerShell and .NET is reused.
.EXAMPLE
    $pwshDll = dotnet pwsh -NoProfile -File bench/New-PrecompiledPowerShell.ps1
    dotnet $pwshDll -NoProfile -Command '$PSVersionTable.PSVersion'
#>
[CmdletBinding()]
param([string] $Destination)
$ErrorActionPreference = 'Stop'

$source = Split-Path ([psobject].Assembly.Location) -Parent
$runtime = [Environment]::Version.ToString()   # e.g. 10.0.12
$rid = switch -Regex ([Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier) {
    '^linux-musl' { 'linux-musl-' + "$([Runtime.InteropServices.RuntimeInformation]::OSArchitecture)".ToLowerInvariant(); break }
    '^(linux|osx|win)' { $Matches[1] + '-' + "$([Runtime.InteropServices.RuntimeInformation]::OSArchitecture)".ToLowerInvariant(); break }
    default { throw "No crossgen2 package is known for $([Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier)." }
}
if (-not $Destination) {
    $Destination = Join-Path ([IO.Path]::GetTempPath()) "tlstools-pwsh-r2r-$($PSVersionTable.PSVersion)-$runtime-$rid"
}
$stamp = Join-Path $Destination '.tlstools-precompiled'
if ((Test-Path -LiteralPath $stamp) -and (Get-Content -LiteralPath $stamp -Raw).Trim() -eq "$source $runtime") {
    return (Join-Path $Destination 'pwsh.dll')
}

$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$crossgenDir = Join-Path $packages "microsoft.netcore.app.crossgen2.$rid/$runtime/tools"
$crossgen = Get-ChildItem -LiteralPath $crossgenDir -Filter 'crossgen2*' -ErrorAction Ignore |
    Where-Object { $_.Name -in 'crossgen2', 'crossgen2.exe' } | Select-Object -First 1
if (-not $crossgen) {
    throw "crossgen2 for .NET $runtime ($rid) is not in $crossgenDir; run ./build.ps1 build first (it restores it)."
}
$framework = Split-Path ([object].Assembly.Location) -Parent

function Test-IlOnly([string] $path) {
    $stream = [IO.File]::OpenRead($path)
    try {
        $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
        return $pe.HasMetadata -and $null -ne $pe.PEHeaders.CorHeader -and
            $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -eq 0 -and
            ($pe.PEHeaders.CorHeader.Flags -band [Reflection.PortableExecutable.CorFlags]::ILOnly)
    } catch [BadImageFormatException] { return $false } finally { $stream.Dispose() }
}

if (Test-Path -LiteralPath $Destination) { Remove-Item -LiteralPath $Destination -Recurse -Force }
Copy-Item -LiteralPath $source -Destination $Destination -Recurse
$targetOs = ($rid -split '-')[0]
$targetArch = ($rid -split '-')[-1]
$compiled = 0
foreach ($dll in Get-ChildItem -LiteralPath $source -Filter '*.dll' -File) {
    if (-not (Test-IlOnly $dll.FullName)) { continue }
    $out = Join-Path $Destination $dll.Name
    # A response file: PowerShell would expand the *.dll reference patterns itself on Unix.
    $rsp = Join-Path $Destination '.crossgen.rsp'
    Set-Content -LiteralPath $rsp -Value @($dll.FullName, '-o', $out, '-r', (Join-Path $framework '*.dll'), '-r', (Join-Path $source '*.dll'),
        '--targetos', $targetOs, '--targetarch', $targetArch, '-O')
    $log = & $crossgen.FullName "@$rsp" 2>&1
    if ($LASTEXITCODE -ne 0) {
        # Some assemblies (Windows-only facades and the like) do not compile here: the IL copy stays, as it was.
        Copy-Item -LiteralPath $dll.FullName -Destination $out -Force
        Write-Verbose "not precompiled: $($dll.Name): $($log | Select-Object -First 1)"
        continue
    }
    $compiled++
}
Remove-Item -LiteralPath (Join-Path $Destination '.crossgen.rsp') -ErrorAction Ignore
if ($compiled -eq 0) { throw "crossgen2 compiled none of PowerShell's assemblies in $source." }
Set-Content -LiteralPath $stamp -Value "$source $runtime"
Write-Verbose "$compiled assemblies precompiled into $Destination"
Join-Path $Destination 'pwsh.dll'
