@{
    # The root module loads module/bin/TlsTools.PowerShell.dll: in its own load context on PowerShell 7, plainly on 5.1.
    RootModule           = 'module/TlsTools.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1d3c52-8a4e-4f7b-9c1e-2b7d5a9e0c41'
    Author               = 'TlsTools contributors'
    CompanyName          = 'TlsTools'
    Copyright            = '(c) TlsTools contributors. MIT License.'
    Description          = 'Certificates and TLS for PowerShell on Linux, macOS and Windows: keys, requests, CAs, certificates and CRLs; every common format; chain validation that explains itself; TLS handshakes shown message by message; server scans.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('module/TlsTools.format.ps1xml', 'module/Validation.format.ps1xml', 'module/Tls.format.ps1xml', 'module/Scanning.format.ps1xml', 'module/Ocsp.format.ps1xml', 'module/Assessment.format.ps1xml')
    TypesToProcess       = @('module/TlsTools.types.ps1xml')
    CmdletsToExport      = @(
        'New-PrivateKey'
        'New-CertificateRequest'
        'New-CaCertificate'
        'New-Certificate'
        'New-CertificateRevocationList'
        'New-OcspResponse'
        'Read-Certificate'
        'Read-PrivateKey'
        'Read-CertificateRequest'
        'Read-CertificateRevocationList'
        'Save-Certificate'
        'Save-PrivateKey'
        'Save-CertificateRequest'
        'Save-CertificateRevocationList'
        'Test-CertificateChain'
        'Invoke-TlsHandshake'
        'Start-TlsServer'
        'Stop-TlsServer'
        'ConvertTo-TlsDiagram'
        'Get-TlsServerProfile'
        'ConvertTo-TlsReport'
        'Compare-TlsServerProfile'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('TLS', 'SSL', 'X509', 'Certificate', 'PKI', 'OpenSSL', 'Handshake', 'Security', 'Linux', 'MacOS', 'Windows')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/tlstools/tlstools'
            ReleaseNotes = 'See README.md.'
        }
    }
}
