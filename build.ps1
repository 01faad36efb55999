<#
.SYNOPSIS
    Builds TlsTools and runs its demo, its tests or its benchmarks.
.DESCRIPTION
    demo  - build, then run the offline quickstart (examples/Quickstart.ps1)
    test  - build, run every xunit and Pester test, and end with one line "N passed, N failed, N skipped"
            -Fast: the edit-test loop; skips the long suites (xunit Category=Long, Pester tag Long: the full
            x509-limbo run, the mutation fuzzing, the load tests, tests/Reliability.Load.Tests.ps1), says so
            first and in its closing line. .ci/run and a plain "test" run everything.
    build - build only (Release); the module is laid out where TlsTools.psd1 points, with ReadyToRun images of its
            assemblies for this platform in module/bin/r2r/ (src/TlsTools.ReadyToRun)
    bench - build, then run the benchmarks in bench/ against the local peers
    package - build, then make the PowerShell Gallery package artifacts/TlsTools.<version>.nupkg
              (module/New-ModulePackage.ps1; tests/Package.Tests.ps1 installs it with Install-PSResource)
    Run through the repository's own PowerShell: dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 test
.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 test -Fast
    The fast lane: everything but the long suites (it lists the files it skips).
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('demo', 'test', 'build', 'bench', 'package')]
    [string] $Task = 'test',

    # Pester tag(s) or xunit filter to narrow a test run while developing.
    [string] $Filter,

    # test only: skip the long suites (xunit trait Category=Long, Pester tag Long) for the edit-test loop.
    [switch] $Fast
)

$ErrorActionPreference = 'Stop'
$env:NO_COLOR = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$PSStyle.OutputRendering = 'PlainText'
Set-Location $PSScriptRoot
$out = Join-Path $PSScriptRoot 'tests/out'
New-Item -ItemType Directory -Force -Path $out | Out-Null

function Invoke-Build {
    Write-Host '== build (Release)'
    & dotnet build (Join-Path $PSScriptRoot 'TlsTools.sln') -c Release -nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed ($LASTEXITCODE)" }
    Invoke-ReadyToRun
}

function Invoke-ReadyToRun {
    # ReadyToRun images of module/bin for this platform (src/TlsTools.ReadyToRun; the loader falls back to the IL
    # elsewhere). Redone only when the IL is newer than the images.
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $rid = "$os-$("$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"
    $il = Get-Item (Join-Path $PSScriptRoot 'module/bin/*.dll')
    $images = Get-Item (Join-Path $PSScriptRoot "module/bin/r2r/*-$rid/*.dll") -ErrorAction Ignore
    $newestIl = ($il | Measure-Object LastWriteTimeUtc -Maximum).Maximum
    if (@($images).Count -eq @($il).Count -and ($images | Measure-Object LastWriteTimeUtc -Minimum).Minimum -ge $newestIl) { return }
    Write-Host "== ReadyToRun images ($rid)"
    # Against this PowerShell's own System.Management.Automation (the project file says why); compiled afresh, since
    # the SDK's incremental check looks at the IL alone.
    $powerShellDir = Split-Path ([psobject].Assembly.Location) -Parent
    Remove-Item -Recurse -Force (Join-Path $PSScriptRoot "src/TlsTools.ReadyToRun/obj/Release/net10.0/$rid/R2R") -ErrorAction Ignore
    & dotnet publish (Join-Path $PSScriptRoot 'src/TlsTools.ReadyToRun/TlsTools.ReadyToRun.csproj') -c Release -r $rid -nologo -v quiet -clp:ErrorsOnly "-p:PowerShellAssemblyDir=$powerShellDir"
    if ($LASTEXITCODE -ne 0) { throw "dotnet publish of the ReadyToRun images failed ($LASTEXITCODE)" }
}

function Get-PesterModulePath {
    $root = $env:NUGET_PACKAGES
    if (-not $root) {
        $line = & dotnet nuget locals global-packages --list | Select-Object -First 1
        $root = ($line -replace '^global-packages:\s*', '').Trim()
    }
    $psd1 = Join-Path $root 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester 5.7.1 was not restored to $psd1 (dotnet restore TlsTools.sln brings it)." }
    $psd1
}

function Invoke-CoreTests {
    Write-Host '== xunit (TlsTools.Core.Tests)'
    $trx = Join-Path $out 'core.trx'
    Remove-Item $trx, (Join-Path $out 'limbo-results.txt'), (Join-Path $out 'fuzz-summary.json') -ErrorAction Ignore
    $testArgs = @('test', (Join-Path $PSScriptRoot 'tests/TlsTools.Core.Tests'), '-c', 'Release', '--no-build', '--nologo',
        '--logger', "trx;LogFileName=$trx", '--logger', 'console;verbosity=normal')
    $xunitFilter = @(if ($Filter) { "($Filter)" }; if ($Fast) { 'Category!=Long' }) -join '&'
    if ($xunitFilter) { $testArgs += @('--filter', $xunitFilter) }
    & dotnet @testArgs | ForEach-Object {
        # Keep the log readable: per-test lines for failures, plus everything the tests print.
        if ($_ -notmatch '^\s+Passed ') { $_ }
    } | Out-Host
    # Scores of the third-party suites and the fuzz run, as the tests wrote them.
    $limbo = Join-Path $out 'limbo-results.txt'
    if (Test-Path $limbo) { Get-Content $limbo -TotalCount 2 | ForEach-Object { Write-Host "   $_" } }
    $fuzz = Join-Path $out 'fuzz-summary.json'
    if (Test-Path $fuzz) {
        $f = Get-Content -Raw $fuzz | ConvertFrom-Json
        Write-Host ("   fuzz (seeded): {0} inputs, {1} calls, crashes {2}, hangs {3}, slowest call {4} ms; most work in one call {5} ms ({6})" -f $f.inputsTried, $f.calls, $f.crashes, $f.hangs, $f.maxMillisecondsPerCall, $f.maxWorkMillisecondsPerCall, $f.perCallBoundMeasures)
    }
    if (-not (Test-Path $trx)) { return @{ Passed = 0; Failed = 1 } }
    [xml] $x = Get-Content -Raw $trx
    $c = $x.TestRun.ResultSummary.Counters
    $failures = @($x.TestRun.Results.UnitTestResult | Where-Object outcome -ne 'Passed' | Where-Object outcome -ne 'NotExecuted' | ForEach-Object {
            $message = $_.Output.ErrorInfo.Message
            '{0} ({1}): {2}' -f $_.testName, $_.outcome, ("$message" -split "`n")[0]
        })
    @{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted; Failures = $failures }
}

function Invoke-ModuleTests {
    Write-Host '== Pester (module)'
    $pester = Get-PesterModulePath
    # A child PowerShell, so the tests import the module freshly and a crash there cannot take the runner down.
    $resultFile = Join-Path $out 'pester.json'
    Remove-Item $resultFile -ErrorAction Ignore
    $runner = Join-Path $PSScriptRoot 'tests/Invoke-PesterTests.ps1'
    $childArgs = @('-NoProfile', '-NonInteractive', '-File', $runner, '-PesterPath', $pester, '-ResultFile', $resultFile)
    if ($Filter) { $childArgs += @('-Tag', $Filter) }
    if ($Fast) { $childArgs += @('-ExcludeTag', 'Long') }
    & dotnet pwsh @childArgs | Out-Host
    if (-not (Test-Path $resultFile)) { return @{ Passed = 0; Failed = 1 } }
    $r = Get-Content -Raw $resultFile | ConvertFrom-Json
    @{ Passed = [int]$r.Passed; Failed = [int]$r.Failed; Skipped = [int]$r.Skipped; Failures = @($r.Failures) }
}

function Get-LongSuite {
    <# The test files that hold long suites (xunit Category=Long, Pester tag Long), as the fast lane reports what it skips. #>
    $tests = Join-Path $PSScriptRoot 'tests'
    Get-ChildItem $tests -Recurse -File -Include '*.cs', '*.Tests.ps1' |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
        Select-String -List -Pattern 'Trait\("Category", "Long"\)', '-Tag Long\b' |
        ForEach-Object { [IO.Path]::GetRelativePath($PSScriptRoot, $_.Path) -replace '\\', '/' } | Sort-Object
}

if ($Fast -and $Task -ne 'test') { throw '-Fast applies to the test task only.' }

switch ($Task) {
    'build' { Invoke-Build }
    'demo' {
        Invoke-Build
        & (Join-Path $PSScriptRoot 'examples/Quickstart.ps1')
    }
    'package' {
        Invoke-Build
        & (Join-Path $PSScriptRoot 'module/New-ModulePackage.ps1')
    }
    'bench' {
        Invoke-Build
        & (Join-Path $PSScriptRoot 'bench/Run-Benchmarks.ps1')
    }
    'test' {
        $passed = 0; $failed = 0; $skipped = 0
        $lane = ''
        if ($Fast) {
            $long = @(Get-LongSuite)
            Write-Host "== FAST LANE: not the full suite. Skipping the long suites (xunit Category=Long, Pester tag Long) in: $($long -join ', ')"
            $lane = " (FAST LANE: long suites in $($long.Count) files not run; './build.ps1 test' runs everything)"
        }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        try {
            & (Join-Path $PSScriptRoot 'tests/Initialize-TestPeer.ps1')
            Invoke-Build
            $core = Invoke-CoreTests
            $module = Invoke-ModuleTests
            Write-Host ("xunit: {0} passed, {1} failed; Pester: {2} passed, {3} failed" -f $core.Passed, $core.Failed, $module.Passed, $module.Failed)
            # Name what failed here, at the end, where a cut log still shows it.
            foreach ($f in @($core.Failures) + @($module.Failures)) { if ($f) { Write-Host "FAILED: $f" } }
            $passed = $core.Passed + $module.Passed
            $failed = $core.Failed + $module.Failed
            $skipped = $core.Skipped + $module.Skipped
        }
        catch {
            Write-Host "error: $_"
            $failed = [Math]::Max($failed, 1)
        }
        Write-Host ("tests took {0:N0} s" -f $clock.Elapsed.TotalSeconds)
        Write-Host "$passed passed, $failed failed, $skipped skipped$lane"
        if ($failed -gt 0) { exit 1 }
    }
}
