# ./build.ps1 package: the PowerShell Gallery .nupkg, installed with Install-PSResource from a local file repository
# into a clean HOME by a fresh pwsh, imported by name and used.
Describe 'The PowerShell Gallery package' {
    BeforeAll {
        . $PSScriptRoot/common.ps1
        $script:Repo = Join-Path $TestDrive 'repo'
        $script:Nupkg = & (Join-Path $PSScriptRoot '../module/New-ModulePackage.ps1') -OutputDirectory $Repo
        $script:Version = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../TlsTools.psd1')).ModuleVersion
        $script:Entries = [IO.Compression.ZipFile]::OpenRead($Nupkg.FullName) | ForEach-Object { try { $_.Entries.FullName } finally { $_.Dispose() } }

        function Invoke-CleanPwsh {
            <# A fresh pwsh whose HOME (and so its CurrentUser module path and PSResourceGet settings) is a new empty folder. #>
            param([string] $Command)
            $home2 = Join-Path $TestDrive ('home-' + [guid]::NewGuid().ToString('n'))
            New-Item -ItemType Directory $home2 | Out-Null
            $pwsh = Get-ChildPwshCommand
            $psi = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
            foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)) { $psi.ArgumentList.Add($a) }
            $psi.UseShellExecute = $false; $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
            $psi.Environment['HOME'] = $home2
            $psi.Environment['XDG_DATA_HOME'] = Join-Path $home2 '.local/share'
            $psi.Environment['XDG_CONFIG_HOME'] = Join-Path $home2 '.config'
            $psi.Environment['XDG_CACHE_HOME'] = Join-Path $home2 '.cache'
            $psi.Environment.Remove('PSModulePath') | Out-Null
            $psi.WorkingDirectory = $home2
            $p = [Diagnostics.Process]::Start($psi)
            $stdout = $p.StandardOutput.ReadToEndAsync(); $stderr = $p.StandardError.ReadToEndAsync()
            if (-not $p.WaitForExit(180000)) { $p.Kill($true); throw 'the clean pwsh did not finish in 180 s' }
            [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $stdout.Result; Err = $stderr.Result; Home = $home2 }
        }
    }

    It 'is named TlsTools.<version>.nupkg and holds the manifest, assemblies, formats, types, help, about topics, LICENSE, README and CHANGELOG' {
        $Nupkg.Name | Should -Be "TlsTools.$Version.nupkg"
        foreach ($e in 'TlsTools.psd1', 'TlsTools.nuspec', 'LICENSE', 'README.md', 'CHANGELOG.md', 'module/TlsTools.psm1',
            'module/TlsTools.types.ps1xml', 'module/TlsTools.format.ps1xml', 'module/Tls.format.ps1xml',
            'module/bin/TlsTools.PowerShell.dll', 'module/bin/TlsTools.Core.dll', 'module/bin/BouncyCastle.Cryptography.dll',
            'module/bin/loader/TlsTools.Loader.dll', 'en-US/TlsTools.PowerShell.dll-Help.xml', 'en-US/about_TlsTools.help.txt',
            'en-US/about_TlsTools_ErrorIds.help.txt') {
            $Entries | Should -Contain $e
        }
        # The ReadyToRun images of this platform (build.ps1 lays them out), beside the IL they were compiled from.
        $r2r = "module/bin/r2r/$([TlsTools.Loader.ModuleLoadContext]::ReadyToRunFolderName)"
        foreach ($e in 'TlsTools.PowerShell.dll', 'TlsTools.Core.dll', 'BouncyCastle.Cryptography.dll') { $Entries | Should -Contain "$r2r/$e" }
        # Sources, tests and build scripts stay out.
        $Entries | Where-Object { $_ -match '^(src|tests|bench|examples)/|\.cs$|\.md$' -and $_ -notin 'README.md', 'CHANGELOG.md' } | Should -BeNullOrEmpty
    }

    It "carries this version's CHANGELOG section as its release notes and the MIT licence" {
        $zip = [IO.Compression.ZipFile]::OpenRead($Nupkg.FullName)
        try {
            $reader = [IO.StreamReader]::new($zip.GetEntry('TlsTools.nuspec').Open())
            $nuspec = [xml]$reader.ReadToEnd(); $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $nuspec.package.metadata.version | Should -Be $Version
        $nuspec.package.metadata.releaseNotes | Should -Match 'build.ps1 package'
        $nuspec.package.metadata.releaseNotes | Should -Not -Match 'See README'
        Get-Content (Join-Path $PSScriptRoot '../LICENSE') -TotalCount 1 | Should -Be 'MIT License'
    }

    It 'installs with Install-PSResource into a clean module path, imports by name and works' {
        $cmd = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name TlsToolsLocal -Uri '$Repo' -Trusted
Install-PSResource -Name TlsTools -Repository TlsToolsLocal -Scope CurrentUser -TrustRepository -Quiet
if (Get-Module TlsTools) { throw 'loaded before Import-Module' }
Import-Module TlsTools
`$m = Get-Module TlsTools
'BASE=' + `$m.ModuleBase
'VERSION=' + `$m.Version
'COMMANDS=' + @(Get-Command -Module TlsTools).Count
`$key = New-PrivateKey -Algorithm EcdsaP256
`$ca = New-CaCertificate -Subject 'CN=Package Root' -PrivateKey `$key
`$leaf = New-Certificate -Issuer `$ca -DnsName pkg.test
'VALID=' + (Test-CertificateChain -Certificate `$leaf -TrustedRoot `$ca -DnsName pkg.test).IsValid
'ABOUT=' + ((Get-Help about_TlsTools | Out-String) -match 'TlsTools')
'EXAMPLES=' + @((Get-Help New-Certificate).examples.example).Count
"@
        $r = Invoke-CleanPwsh $cmd
        $r.Err | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0
        $lines = $r.Out -split "`r?`n"
        $base = ($lines | Where-Object { $_ -like 'BASE=*' }) -replace '^BASE='
        $base | Should -BeLike (Join-Path $r.Home '*')
        $base | Should -Match ([regex]::Escape("TlsTools/$Version") + '$')
        $lines | Should -Contain "VERSION=$Version"
        $lines | Should -Contain "COMMANDS=$(@((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../TlsTools.psd1')).CmdletsToExport).Count)"
        $lines | Should -Contain 'VALID=True'
        $lines | Should -Contain 'ABOUT=True'
        ($lines | Where-Object { $_ -like 'EXAMPLES=*' }) -replace '^EXAMPLES=' | Should -BeGreaterThan 0
    }
}
