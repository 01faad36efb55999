# ReadyToRun images (issue 16): build.ps1 lays out precompiled copies of module/bin/*.dll for this platform in
# module/bin/r2r/<framework>-<rid>/ (src/TlsTools.ReadyToRun); the loader's context takes each assembly from there
# when it is the same build as the IL beside it, and from the IL otherwise (another platform, a stale image).
BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Tls.common.ps1
    $script:Bin = (Resolve-Path (Join-Path $RepoRoot 'module/bin')).Path
    $script:Folder = [TlsTools.Loader.ModuleLoadContext]::ReadyToRunFolderName
    $script:R2r = Join-Path $Bin "r2r/$Folder"
    $script:Names = 'BouncyCastle.Cryptography', 'TlsTools.Core', 'TlsTools.PowerShell'

    function Invoke-ChildPwsh {
        <# A fresh pwsh runs a command; returns its last JSON line (with -Output: all it printed). Bounded to 120 s. #>
        param([string] $Command, [switch] $Output)
        $pwsh = Get-ChildPwshCommand
        $child = Start-TestProcess -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command))
        $child.Stdout = $child.Process.StandardOutput.ReadToEndAsync()
        $exited = $child.Process.WaitForExit(120000)
        $exit = if ($exited) { $child.Process.ExitCode } else { -1 }
        $text = $child | Stop-TestProcess
        if ($Output -and $exit -eq 0) { return $text }
        $json = ($text -split "`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1)
        if ($exit -ne 0 -or -not $json) { throw "The child pwsh failed with exit code ${exit}:`n$(($text -split "`n" | Where-Object { $_ -notmatch 'JIT compiled ' }) -join "`n")" }
        $json | ConvertFrom-Json
    }

    # What the child reports: where each assembly of the module's context came from, and that the module works.
    $script:Report = @'
$context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Invoke-TlsHandshake).ImplementingType.Assembly)
$key = New-PrivateKey -Algorithm EcdsaP256
$cert = New-Certificate -SelfSigned -DnsName localhost -PrivateKey $key
$from = $context.LoadedFrom   # a snapshot: read once BouncyCastle is loaded (the first key loads it)
[ordered]@{ Core = $from['TlsTools.Core']; Cmdlets = $from['TlsTools.PowerShell']; BouncyCastle = $from['BouncyCastle.Cryptography']
    Subject = $cert.Subject; KeyAlgorithm = "$($key.Algorithm)" } | ConvertTo-Json -Compress
'@
}

Describe 'ReadyToRun images of the module' -Tag ReadyToRun {
    It 'are laid out by the build for this platform, one per assembly of module/bin, each the same build as its IL' {
        if (-not (Test-Path -LiteralPath $R2r)) { throw "No ReadyToRun images in ${R2r}: run dotnet pwsh ./build.ps1 build (it publishes src/TlsTools.ReadyToRun)." }
        foreach ($name in $Names) {
            $image = Join-Path $R2r "$name.dll"
            $image | Should -Exist
            $il = Join-Path $Bin "$name.dll"
            # an image carries native code: it is larger than its IL, with the same identity
            (Get-Item $image).Length | Should -BeGreaterThan (Get-Item $il).Length
            [Reflection.AssemblyName]::GetAssemblyName($image).FullName | Should -Be ([Reflection.AssemblyName]::GetAssemblyName($il).FullName)
        }
    }

    It 'are what this session''s module context loaded' {
        $null = New-PrivateKey -Algorithm EcdsaP256   # loads BouncyCastle
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Invoke-TlsHandshake).ImplementingType.Assembly)
        foreach ($name in $Names) {
            $context.LoadedFrom[$name] | Should -Be (Join-Path $R2r "$name.dll") -Because $name
            ($context.Assemblies | Where-Object { $_.GetName().Name -eq $name }).Location | Should -Be (Join-Path $R2r "$name.dll")
        }
    }

    It 'keep their code at run time: a first session JIT-compiles none of the cmdlets'' or the core''s methods' {
        # The runtime drops precompiled code whose assumptions do not hold, e.g. the layout of PSCmdlet, which the
        # cmdlet classes derive from (from outside the image): the cmdlets were once compiled against a reference
        # assembly that the publish did not hand to crossgen2, and every cmdlet method was JIT-compiled in every
        # session. The runtime's JIT summary (DOTNET_JitDisasmSummary, on standard output) names each method it
        # compiles; the child's report goes to a file, since the JIT's lines and PowerShell's share that output.
        $reportFile = Join-Path $TestDrive 'report.json'
        $env:DOTNET_JitDisasmSummary = '1'
        try {
            $text = Invoke-ChildPwsh "`$ErrorActionPreference = 'Stop'; Import-Module '$RepoRoot/TlsTools.psd1'`n$Report | Set-Content -LiteralPath '$reportFile'" -Output
        } finally { Remove-Item Env:DOTNET_JitDisasmSummary }
        $r = Get-Content -LiteralPath $reportFile -Raw | ConvertFrom-Json
        $r.Subject | Should -Be 'CN=localhost'
        $r.Cmdlets | Should -Be (Join-Path $R2r 'TlsTools.PowerShell.dll')
        $compiled = @($text -split "`n" | Where-Object { $_ -match 'JIT compiled ' })
        $compiled.Count | Should -BeGreaterThan 10 -Because 'the summary lists what PowerShell itself compiles'
        $compiled | Where-Object { $_ -match 'JIT compiled TlsTools\.(PowerShell|Core)\.' } | Should -BeNullOrEmpty
    }

    It 'carry the framework''s generic code over the module''s own types: a first handshake JIT-compiles no async builder over them' {
        # Each async method of the module instantiates the framework's builders over its own state machine
        # (AsyncMethodBuilderCore.Start<TStateMachine>, AsyncTaskMethodBuilder<T>.Start<...>): code whose IL is the
        # framework's, which crossgen2 leaves to the JIT unless told it may compile generics from other modules
        # (--non-local-generics-module, with --opt-cross-module; the runtime checks each such body against the IL it
        # loaded and JIT-compiles it again when they differ). Without it, the first handshake of a session JIT-compiled
        # about 350 methods, 108 of them such builders (issue 16).
        $dir = Join-Path $TestDrive 'jit-handshake'
        New-Item -ItemType Directory -Force $dir | Out-Null
        $key = New-PrivateKey -Algorithm EcdsaP256
        $files = Save-TlsTestFiles -Certificate (New-Certificate -SelfSigned -DnsName localhost -PrivateKey $key) -Directory $dir -Name server
        $server = Start-OpenSslServer -Files $files -DiscardOutput
        try {
            $reportFile = Join-Path $dir 'report.json'
            $env:DOTNET_JitDisasmSummary = '1'
            try {
                $text = Invoke-ChildPwsh ("`$ErrorActionPreference = 'Stop'; Import-Module '$RepoRoot/TlsTools.psd1'`n" +
                    "`$r = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $($server.Port) -SkipCertificateCheck -TimeoutSeconds 30`n" +
                    "@{ Success = `$r.Success; Version = `"`$(`$r.TlsVersion)`" } | ConvertTo-Json -Compress | Set-Content -LiteralPath '$reportFile'") -Output
            } finally { Remove-Item Env:DOTNET_JitDisasmSummary }
        } finally { $server | Stop-TestProcess | Out-Null }
        $r = Get-Content -LiteralPath $reportFile -Raw | ConvertFrom-Json
        $r.Success | Should -BeTrue
        $r.Version | Should -Be 'Tls13'
        $compiled = @($text -split "`n" | Where-Object { $_ -match 'JIT compiled ' })
        $compiled.Count | Should -BeGreaterThan 10 -Because 'the summary lists what PowerShell itself compiles'
        $compiled | Where-Object { $_ -match 'JIT compiled System\.Runtime\.CompilerServices\.(AsyncMethodBuilderCore|AsyncTaskMethodBuilder(`1\[[^\]]*\])?):Start\[TlsTools\.' } |
            Should -BeNullOrEmpty
    }

    It 'are passed over for the IL when an image is not the same build (stale), and the module still works' {
        # A copy of the module whose Core image is in fact another assembly's image (another MVID).
        $copy = Join-Path $TestDrive 'stale'
        New-Item -ItemType Directory -Force "$copy/module" | Out-Null
        Copy-Item (Join-Path $RepoRoot 'TlsTools.psd1') $copy
        Copy-Item (Join-Path $RepoRoot 'module/*') "$copy/module" -Recurse
        Copy-Item "$copy/module/bin/r2r/$Folder/TlsTools.PowerShell.dll" "$copy/module/bin/r2r/$Folder/TlsTools.Core.dll" -Force
        $r = Invoke-ChildPwsh "`$ErrorActionPreference = 'Stop'; Import-Module '$copy/TlsTools.psd1'`n$Report"
        $r.Core | Should -Be "$copy/module/bin/TlsTools.Core.dll"
        $r.Cmdlets | Should -Be "$copy/module/bin/r2r/$Folder/TlsTools.PowerShell.dll"
        $r.BouncyCastle | Should -Be "$copy/module/bin/r2r/$Folder/BouncyCastle.Cryptography.dll"
        $r.Subject | Should -Be 'CN=localhost'
        $r.KeyAlgorithm | Should -Be 'EcdsaP256'
    }

    It 'are not needed: without them (another platform) the module loads its IL and works' {
        $copy = Join-Path $TestDrive 'il'
        New-Item -ItemType Directory -Force "$copy/module" | Out-Null
        Copy-Item (Join-Path $RepoRoot 'TlsTools.psd1') $copy
        Copy-Item (Join-Path $RepoRoot 'module/*') "$copy/module" -Recurse
        Rename-Item "$copy/module/bin/r2r/$Folder" 'net1.0-other-arch'
        $r = Invoke-ChildPwsh "`$ErrorActionPreference = 'Stop'; Import-Module '$copy/TlsTools.psd1'`n$Report"
        $r.Core | Should -Be "$copy/module/bin/TlsTools.Core.dll"
        $r.Cmdlets | Should -Be "$copy/module/bin/TlsTools.PowerShell.dll"
        $r.BouncyCastle | Should -Be "$copy/module/bin/BouncyCastle.Cryptography.dll"
        $r.Subject | Should -Be 'CN=localhost'
    }
}
