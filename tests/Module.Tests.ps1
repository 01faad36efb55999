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
