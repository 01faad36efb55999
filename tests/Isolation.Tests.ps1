# TlsTools beside another copy of BouncyCastle in the same PowerShell 7 session (issue 10). Every 2.x build of
# BouncyCastle.Cryptography has AssemblyVersion 2.0.0.0, so without its own load context TlsTools would bind to
# whichever copy another module loaded first; with BouncyCastle's net6.0 build the client's handshake messages then
# vanish from the transcript (it writes records through span overloads our netstandard2.0 core does not see).
# Each Context starts a fresh pwsh that loads a foreign BouncyCastle before or after importing TlsTools.
BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Tls.common.ps1

    function Get-BouncyCastlePackageDll {
        <# BouncyCastle.Cryptography.dll of a version's lib/<tfm> in the NuGet cache (2.4.0 comes with a PackageDownload
           in tests/TlsTools.Core.Tests). #>
        param([string] $Version, [string] $Framework = 'net6.0')
        $root = $env:NUGET_PACKAGES
        if (-not $root) {
            $line = & dotnet nuget locals global-packages --list | Select-Object -First 1
            $root = ($line -replace '^global-packages:\s*', '').Trim()
        }
        $dll = Join-Path $root "bouncycastle.cryptography/$Version/lib/$Framework/BouncyCastle.Cryptography.dll"
        if (-not (Test-Path -LiteralPath $dll)) { throw "BouncyCastle.Cryptography $Version was not restored to $dll (dotnet restore TlsTools.sln brings it)." }
        $dll
    }

    # What runs in the child: load the foreign copy and TlsTools in the order asked, use both, print a JSON report.
    # Order Plain is the old way (the cmdlet assembly imported straight into the default context), to show the bug.
    $script:ChildScript = Join-Path $TestDrive 'isolation-child.ps1'
    Set-Content -LiteralPath $script:ChildScript -Value (@'
param([string] $RepoRoot, [string] $Foreign, [string] $Order)
$ErrorActionPreference = 'Stop'
$r = [ordered]@{}
if ($Order -in 'ForeignFirst', 'Plain') { Add-Type -Path $Foreign }
if ($Order -eq 'Plain') { Import-Module (Join-Path $RepoRoot 'module/bin/TlsTools.PowerShell.dll') }
else { Import-Module (Join-Path $RepoRoot 'TlsTools.psd1') }
if ($Order -eq 'TlsToolsFirst') { Add-Type -Path $Foreign }

$default = [System.Runtime.Loader.AssemblyLoadContext]::Default
$r.DefaultBouncyCastle = $default.LoadFromAssemblyName([Reflection.AssemblyName]'BouncyCastle.Cryptography').Location
$module = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Invoke-TlsHandshake).ImplementingType.Assembly)
$r.ModuleContext = $module.Name
$r.ModuleBouncyCastle = $module.LoadFromAssemblyName([Reflection.AssemblyName]'BouncyCastle.Cryptography').Location
$r.DefaultTlsToolsAssemblies = @($default.Assemblies | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -like 'TlsTools*' })
# The foreign copy still serves whoever loaded it: its types resolve by name and work.
$digest = [Org.BouncyCastle.Crypto.Digests.Sha256Digest]::new()
$digest.BlockUpdate([byte[]](1, 2, 3), 0, 3)
$hash = [byte[]]::new(32); $null = $digest.DoFinal($hash, 0)
$r.ForeignDigestFrom = $digest.GetType().Assembly.Location
$r.ForeignDigest = [Convert]::ToHexString($hash)

$root = New-CaCertificate -Subject 'CN=Isolation Root'
$ca = New-CaCertificate -Subject 'CN=Isolation CA' -Issuer $root -PathLength 0
$leaf = New-Certificate -Issuer $ca -Subject 'CN=www.example.test' -DnsName 'www.example.test' -IpAddress '127.0.0.1'
$r.LeafIsCertificate = $leaf -is [TlsTools.Pki.Certificate]
$r.LeafIssuer = $leaf.Issuer
$r.ChainValid = (Test-CertificateChain -Certificate $leaf -Intermediate $ca -TrustedRoot $root -DnsName www.example.test).IsValid
$wrong = Test-CertificateChain -Certificate $leaf -Intermediate $ca -TrustedRoot (New-CaCertificate -Subject 'CN=Other Root') -DnsName www.example.test
$r.WrongRootValid = $wrong.IsValid
$r.WrongRootCheck = "$($wrong.Failures[0].Check)"

$server = Start-TlsServer -Certificate $leaf -Chain $ca
try {
    foreach ($version in 'Tls12', 'Tls13') {
        $h = Invoke-TlsHandshake -HostName 127.0.0.1 -Port $server.Port -ServerName www.example.test -TrustedRoot $root -TlsVersion ([TlsTools.Tls.TlsVersion]::$version) -TimeoutSeconds 20
        $r["$version"] = [ordered]@{ Success = $h.Success; Version = "$($h.TlsVersion)"; Transcript = @($h.Transcript | ForEach-Object { "$($_.Sender):$($_.Type)" }) }
    }
} finally { $server | Stop-TlsServer }
$r | ConvertTo-Json -Depth 4 -Compress
'@)

    function Invoke-FreshPwsh {
        <# A fresh pwsh (the one running these tests) runs a script file; returns the JSON report it prints last. Bounded to 120 s. #>
        param([string] $Path, [string[]] $Arguments = @())
        $pwsh = Get-ChildPwshCommand
        $child = Start-TestProcess -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $Path) + $Arguments)
        $child.Stdout = $child.Process.StandardOutput.ReadToEndAsync()
        $exited = $child.Process.WaitForExit(120000)
        $exit = if ($exited) { $child.Process.ExitCode } else { -1 }
        $text = $child | Stop-TestProcess
        $json = ($text -split "`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1)
        if ($exit -ne 0 -or -not $json) { throw "The child pwsh ($Path $Arguments) failed with exit code ${exit}:`n$text" }
        $json | ConvertFrom-Json
    }

    function Invoke-IsolationChild {
        param([string] $Foreign, [string] $Order)
        Invoke-FreshPwsh -Path $script:ChildScript -Arguments @('-RepoRoot', $RepoRoot, '-Foreign', $Foreign, '-Order', $Order)
    }

    $script:Tls12Client = 'Client:ClientHello', 'Client:ClientKeyExchange', 'Client:Finished'
    $script:Tls13Client = 'Client:ClientHello', 'Client:Finished'
    $script:OurBouncyCastle = (Resolve-Path (Join-Path $RepoRoot 'module/bin/BouncyCastle.Cryptography.dll')).Path
    # Where the build made ReadyToRun images for this platform, the context loads BouncyCastle from there (same build).
    $r2r = Join-Path $RepoRoot "module/bin/r2r/$([TlsTools.Loader.ModuleLoadContext]::ReadyToRunFolderName)/BouncyCastle.Cryptography.dll"
    if (Test-Path -LiteralPath $r2r) { $script:OurBouncyCastle = (Resolve-Path $r2r).Path }
}

Describe 'TlsTools beside another BouncyCastle in one PowerShell 7 session' -Tag Isolation {
    Context '<Name>' -ForEach @(
        @{ Name = 'the net6.0 build of 2.7.0 loaded first'; Version = '2.7.0'; Order = 'ForeignFirst' }
        @{ Name = '2.4.0 (net6.0) loaded first'; Version = '2.4.0'; Order = 'ForeignFirst' }
        @{ Name = 'TlsTools imported first, then the net6.0 build of 2.7.0'; Version = '2.7.0'; Order = 'TlsToolsFirst' }
        @{ Name = 'TlsTools imported first, then 2.4.0 (net6.0)'; Version = '2.4.0'; Order = 'TlsToolsFirst' }
    ) {
        BeforeAll {
            $script:Foreign = Get-BouncyCastlePackageDll -Version $Version
            $script:R = Invoke-IsolationChild -Foreign $script:Foreign -Order $Order
        }

        It 'a TLS 1.2 handshake has the full transcript, the client''s messages included' {
            $R.Tls12.Success | Should -BeTrue
            $R.Tls12.Version | Should -Be 'Tls12'
            $R.Tls12.Transcript | Should -Be @('Client:ClientHello', 'Server:ServerHello', 'Server:Certificate', 'Server:ServerKeyExchange',
                'Server:ServerHelloDone', 'Client:ClientKeyExchange', 'Client:ChangeCipherSpec', 'Client:Finished',
                'Server:ChangeCipherSpec', 'Server:Finished')
        }

        It 'a TLS 1.3 handshake has the full transcript, the client''s messages included' {
            $R.Tls13.Success | Should -BeTrue
            $R.Tls13.Version | Should -Be 'Tls13'
            $R.Tls13.Transcript[0] | Should -Be 'Client:ClientHello'
            $R.Tls13.Transcript | Should -Contain 'Client:Finished'
            @($R.Tls13.Transcript | Where-Object { $_ -ne 'Client:ChangeCipherSpec' }) | Should -Be @('Client:ClientHello', 'Server:ServerHello',
                'Server:EncryptedExtensions', 'Server:Certificate', 'Server:CertificateVerify', 'Server:Finished', 'Client:Finished')
        }

        It 'issues certificates and validates chains as usual' {
            $R.LeafIsCertificate | Should -BeTrue
            $R.LeafIssuer | Should -Be 'CN=Isolation CA'
            $R.ChainValid | Should -BeTrue
            $R.WrongRootValid | Should -BeFalse
            # the same verdict as in this session, where no foreign BouncyCastle is loaded
            $c = New-TestChain -Name Isolation
            $expected = Test-CertificateChain -Certificate $c.Leaf -Intermediate $c.Intermediate -TrustedRoot (New-CaCertificate -Subject 'CN=Other Root') -DnsName www.example.test
            $R.WrongRootCheck | Should -Be $expected.Failures[0].Check
        }

        It 'leaves the foreign copy in the default context and keeps its own in the TlsTools context' {
            $R.DefaultBouncyCastle | Should -Be $Foreign
            $R.ForeignDigestFrom | Should -Be $Foreign
            $R.ForeignDigest | Should -Be '039058C6F2C0CB492C533B0A4D14EF77CC0F78ABCCCED5287D84A1A2011CFB81'   # SHA-256 of 01 02 03
            $R.ModuleContext | Should -Be 'TlsTools'
            $R.ModuleBouncyCastle | Should -Be $OurBouncyCastle
            $R.ModuleBouncyCastle | Should -Not -Be $R.DefaultBouncyCastle
            $R.DefaultTlsToolsAssemblies | Should -Be @('TlsTools.Loader')
        }
    }

    Context 'the bug these tests would catch' {
        It 'without its own context TlsTools binds to a foreign net6.0 build loaded first, and the client''s messages vanish' {
            $foreign = Get-BouncyCastlePackageDll -Version '2.7.0'
            $foreign | Should -Not -Be $OurBouncyCastle
            $r = Invoke-IsolationChild -Foreign $foreign -Order Plain
            $r.ModuleContext | Should -Be 'Default'
            $r.ModuleBouncyCastle | Should -Be $foreign
            $r.Tls12.Success | Should -BeTrue
            $r.Tls12.Transcript | Should -Contain 'Server:ServerHello'
            foreach ($m in $Tls12Client) { $r.Tls12.Transcript | Should -Not -Contain $m }
            foreach ($m in $Tls13Client) { $r.Tls13.Transcript | Should -Not -Contain $m }
        }
    }
}

Describe 'TlsTools in its own load context: import, re-import and removal in one session' -Tag Isolation {
    It 'type names resolve while imported; the last Remove-Module stops servers and removes them; a re-import brings all back' {
        $script = Join-Path $TestDrive 'reimport-child.ps1'
        Set-Content -LiteralPath $script -Value @'
param([string] $RepoRoot)
$ErrorActionPreference = 'Stop'
$manifest = Join-Path $RepoRoot 'TlsTools.psd1'
$r = [ordered]@{}
Import-Module $manifest
$r.Imported = [bool]('TlsTools.Pki.Certificate' -as [type])
$server = Start-TlsServer -Certificate (New-Certificate -SelfSigned -DnsName localhost)
# another runspace of this process imports and removes the module: this session keeps its type names and server
$ps = [powershell]::Create()
$null = $ps.AddScript("Import-Module '$manifest'; Remove-Module TlsTools").Invoke()
$ps.Dispose()
$r.AfterOtherRunspace = [bool]('TlsTools.Tls.TlsVersion' -as [type])
$r.ServerAfterOtherRunspace = $server.IsRunning
Import-Module $manifest -Force
$r.ServerAfterForce = $server.IsRunning
$r.AfterForce = [bool]('TlsTools.Validation.ChainValidationResult' -as [type])
$r.HelpAfterForce = (Get-Help New-Certificate).Synopsis
$server = Start-TlsServer -Certificate (New-Certificate -SelfSigned -DnsName localhost)
Remove-Module TlsTools
$r.ServerAfterRemove = $server.IsRunning
# PowerShell caches a type name it resolved once, so the accelerator table tells what removal took away.
$accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
$r.AcceleratorsAfterRemove = @($accelerators::Get.Keys | Where-Object { $_ -like 'TlsTools.*' }).Count
$r.AfterRemove = [bool]('TlsTools.Pki.KeyAlgorithm' -as [type])
$r.CommandsAfterRemove = @(Get-Command -Module TlsTools -ErrorAction Ignore).Count
Import-Module $manifest
$r.AcceleratorsAfterReimport = @($accelerators::Get.Keys | Where-Object { $_ -like 'TlsTools.*' }).Count
$r.AfterReimport = [bool]('TlsTools.Pki.KeyAlgorithm' -as [type])
$r.CommandsAfterReimport = @(Get-Command -Module TlsTools).Count
$r.HelpAfterReimport = (Get-Help Invoke-TlsHandshake).Synopsis
$r.SameType = (New-CaCertificate -Subject 'CN=x') -is [TlsTools.Pki.Certificate]
$r | ConvertTo-Json -Compress
'@
        $r = Invoke-FreshPwsh -Path $script -Arguments @('-RepoRoot', $RepoRoot)
        $r.Imported | Should -BeTrue
        $r.AfterOtherRunspace | Should -BeTrue
        $r.ServerAfterOtherRunspace | Should -BeTrue
        $r.ServerAfterForce | Should -BeFalse
        $r.AfterForce | Should -BeTrue
        $r.HelpAfterForce | Should -Match '^Issues a leaf certificate'
        $r.ServerAfterRemove | Should -BeFalse
        $r.AcceleratorsAfterRemove | Should -Be 0
        $r.AfterRemove | Should -BeFalse
        $r.CommandsAfterRemove | Should -Be 0
        $r.AcceleratorsAfterReimport | Should -BeGreaterThan 20
        $r.AfterReimport | Should -BeTrue
        $r.CommandsAfterReimport | Should -Be (Import-PowerShellDataFile (Join-Path $RepoRoot 'TlsTools.psd1')).CmdletsToExport.Count
        $r.HelpAfterReimport | Should -Match '^Shakes hands'
        $r.SameType | Should -BeTrue
    }
}
