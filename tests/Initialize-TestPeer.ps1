<#
.SYNOPSIS
    Finds every real peer the tests need, installs the missing ones, or stops at once with the command to run.
.DESCRIPTION
    The peers are listed in tests/Peers.psd1 (one home for the list). A missing one is installed with apt-get when this
    is a Debian/Ubuntu machine and we are root or have passwordless sudo; otherwise (or when the install did not bring
    it) this throws "The tests need these peers, which are not installed: ... Run: <command>", naming apt-get, brew or
    what a Windows machine needs. Called by build.ps1's test task before anything is built; nothing is skipped later.
#>
[CmdletBinding()]
param(
    # The peer table (default: tests/Peers.psd1 beside this script).
    [string] $PeerTable = (Join-Path $PSScriptRoot 'Peers.psd1'),
    # Do not try to install: only report what is missing (the tests use it to check the message).
    [switch] $NoInstall
)
$ErrorActionPreference = 'Stop'
$table = Import-PowerShellDataFile $PeerTable
$find = {
    param($peer)
    if (Get-Command $peer.Command -CommandType Application -ErrorAction Ignore) { return $true }
    foreach ($p in @($peer.Paths)) { if ($p -and (Resolve-Path $p -ErrorAction Ignore)) { return $true } }
    $false
}
$missing = @($table.Peers | Where-Object { -not (& $find $_) })
if ($missing.Count -eq 0) { return }

$apt = @($missing.Apt | Select-Object -Unique)
$sudo = $null
if ($IsLinux -and -not $NoInstall -and (Get-Command apt-get -ErrorAction Ignore)) {
    if ((& id -u) -eq '0') { $sudo = @() }
    elseif ((Get-Command sudo -ErrorAction Ignore) -and $(& sudo -n true 2>$null; $LASTEXITCODE -eq 0)) { $sudo = @('sudo') }
}
if ($null -ne $sudo) {
    Write-Host "== installing the test peers: $($apt -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    $install = @('apt-get', 'install', '-y', '-qq', '--no-install-recommends') + $apt
    if ($sudo.Count) { & sudo apt-get update -qq | Out-Null; & sudo @install | Out-Null }
    else { & apt-get update -qq | Out-Null; & $install[0] @($install | Select-Object -Skip 1) | Out-Null }
    $missing = @($table.Peers | Where-Object { -not (& $find $_) })
    if ($missing.Count -eq 0) { return }
}
$names = ($missing.Command | Select-Object -Unique) -join ', '
$command = if ($IsMacOS) { 'brew install ' + (@($missing.Brew | Where-Object { $_ } | Select-Object -Unique) -join ' ') }
           elseif ($IsWindows) { 'the peers are Linux/macOS programs: run the tests in WSL or on Linux (' + $names + ')' }
           else { 'sudo apt-get install -y ' + (@($missing.Apt | Select-Object -Unique) -join ' ') }
throw "The tests need these peers, which are not installed: $names. Run: $command"
