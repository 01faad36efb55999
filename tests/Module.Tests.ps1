BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'TlsTools module' {
    It 'has a valid manifest' {
        $m = Test-ModuleManifest -Path (Join-Path $RepoRoot 'TlsTools.psd1')
        $m.Name | Should -Be 'TlsTools'
        $m.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $manifest = Import-PowerShellDataFile (Join-Path $RepoRoot 'TlsTools.psd1')
        $exported = (Get-Command -Module TlsTools).Name | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        Get-Command -Module TlsTools | ForEach-Object { $approved | Should -Contain $_.Verb }
    }

    It 'clashes with no command of Windows'' PKI module' {
        $pki = 'Add-CertificateEnrollmentPolicyServer', 'Export-Certificate', 'Export-PfxCertificate', 'Get-Certificate',
            'Get-CertificateAutoEnrollmentPolicy', 'Get-CertificateEnrollmentPolicyServer', 'Get-CertificateNotificationTask',
            'Get-PfxData', 'Import-Certificate', 'Import-PfxCertificate', 'New-CertificateNotificationTask',
            'New-SelfSignedCertificate', 'Remove-CertificateEnrollmentPolicyServer', 'Remove-CertificateNotificationTask',
            'Set-CertificateAutoEnrollmentPolicy', 'Switch-Certificate', 'Test-Certificate'
        (Get-Command -Module TlsTools).Name | ForEach-Object { $pki | Should -Not -Contain $_ }
    }

    It 'offers -WhatIf and -Confirm on every command that writes files' {
        Get-Command -Module TlsTools -Verb Save | ForEach-Object {
            $_.Parameters.Keys | Should -Contain 'WhatIf'
            $_.Parameters.Keys | Should -Contain 'Confirm'
        }
    }
}

Describe 'TlsTools module, ready to publish' {
    It 'has tags, a licence, a project URI and release notes' {
        $m = Import-PowerShellDataFile (Join-Path $RepoRoot 'TlsTools.psd1')
        $m.PrivateData.PSData.Tags | Should -Contain 'TLS'
        $m.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
        $m.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
        $m.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'takes its assembly version from the manifest (one place)' {
        $m = Import-PowerShellDataFile (Join-Path $RepoRoot 'TlsTools.psd1')
        $dll = Join-Path $RepoRoot 'module/bin/TlsTools.PowerShell.dll'
        [Reflection.AssemblyName]::GetAssemblyName($dll).Version.ToString(3) | Should -Be $m.ModuleVersion
    }

    It 'has an about_TlsTools topic' {
        (Get-Help about_TlsTools | Out-String) | Should -Match 'HOW A SERVER GETS ITS CERTIFICATE'
    }

    It 'lists every ErrorId in about_TlsTools_ErrorIds, generated from [TlsTools.ErrorIds]' {
        $topic = Get-Help about_TlsTools_ErrorIds | Out-String
        $ids = [TlsTools.ErrorIds]::All
        $ids.Count | Should -BeGreaterThan 50
        foreach ($p in $ids) { $topic | Should -Match ('(?m)^\s+' + [regex]::Escape($p.Key) + '\s+' + [regex]::Escape($p.Value.Substring(0, [Math]::Min(20, $p.Value.Length)))) }
        # and the ids it lists are the ones the cmdlets report
        $e = Read-Certificate -Path (Join-Path $TestDrive 'no-such-file.pem') -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike "$([TlsTools.ErrorIds]::PathNotFound),*"
    }

    It 'round-trips certificates through Export-Clixml with their key properties' {
        $c = New-TestChain
        $path = Join-Path $TestDrive 'c.xml'
        $c.Leaf | Export-Clixml -Path $path
        $back = Import-Clixml -Path $path
        foreach ($p in 'Subject', 'Issuer', 'SerialNumber', 'Thumbprint', 'NotAfter', 'KeyAlgorithm', 'IsCertificateAuthority') {
            $back.$p | Should -Be $c.Leaf.$p
        }
        $back.DnsNames | Should -Be $c.Leaf.DnsNames
    }
}

Describe 'TlsTools module, loaded in its own context on PowerShell 7' -Skip:($PSEdition -ne 'Core') {
    It 'resolves the type names users write' {
        [TlsTools.Pki.Certificate].FullName | Should -Be 'TlsTools.Pki.Certificate'
        [TlsTools.Tls.TlsVersion]::Tls13 | Should -Be 'Tls13'
        [TlsTools.Validation.ChainValidationResult].Assembly.GetName().Name | Should -Be 'TlsTools.Core'
        (New-CaCertificate -Subject 'CN=Type Names') -is [TlsTools.Pki.Certificate] | Should -BeTrue
        $certificateType = (Get-Command New-Certificate).OutputType[0].Type
        [TlsTools.Pki.Certificate] | Should -Be $certificateType
    }

    It 'gives every public type of the core and the cmdlets a name that resolves to that very type' {
        $cmdlets = (Get-Command Invoke-TlsHandshake).ImplementingType.Assembly
        $core = [TlsTools.Pki.Certificate].Assembly
        foreach ($type in @($core.GetExportedTypes()) + @($cmdlets.GetExportedTypes())) {
            $type.FullName -as [type] | Should -Be $type -Because $type.FullName
        }
    }

    It 'keeps the cmdlets, the core and BouncyCastle in the TlsTools context and only the loader in the default one' {
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Invoke-TlsHandshake).ImplementingType.Assembly)
        $context.Name | Should -Be 'TlsTools'
        $bin = (Resolve-Path (Join-Path $RepoRoot 'module/bin')).Path
        # from this platform's ReadyToRun images where the build made them (tests/ReadyToRun.Tests.ps1), else the IL
        $r2r = Join-Path $bin "r2r/$([TlsTools.Loader.ModuleLoadContext]::ReadyToRunFolderName)"
        if (Test-Path -LiteralPath $r2r) { $bin = $r2r }
        ($context.Assemblies | ForEach-Object { $_.GetName().Name } | Sort-Object) | Should -Be @('BouncyCastle.Cryptography', 'TlsTools.Core', 'TlsTools.PowerShell')
        $context.Assemblies | ForEach-Object { Split-Path $_.Location } | Should -Be @($bin, $bin, $bin)
        $default = [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | ForEach-Object { $_.GetName().Name }
        @($default | Where-Object { $_ -like 'TlsTools*' -or $_ -like 'BouncyCastle*' }) | Should -Be @('TlsTools.Loader')
    }

    It 'keeps cmdlets, help, formats and type names after Import-Module -Force' {
        Import-Module (Join-Path $RepoRoot 'TlsTools.psd1') -Force
        (Get-Command -Module TlsTools).Count | Should -Be (Import-PowerShellDataFile (Join-Path $RepoRoot 'TlsTools.psd1')).CmdletsToExport.Count
        (Get-Help Test-CertificateChain).Synopsis | Should -Not -Match '^Test-CertificateChain '
        @((Get-Help Test-CertificateChain -Examples).Examples.Example).Count | Should -BeGreaterOrEqual 2
        $c = New-CaCertificate -Subject 'CN=After Reimport'
        $c -is [TlsTools.Pki.Certificate] | Should -BeTrue
        ($c | Format-List | Out-String) | Should -Match 'Thumbprint'
    }
}
