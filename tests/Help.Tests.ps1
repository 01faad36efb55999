BeforeDiscovery {
    . $PSScriptRoot/common.ps1
    $script:commands = Get-Command -Module TlsTools | ForEach-Object { @{ Name = $_.Name } }
}
BeforeAll { . $PSScriptRoot/common.ps1 }

Describe 'Help for <Name>' -ForEach $commands {
    BeforeAll {
        $script:help = Get-Help $Name -Full
        $script:cmd = Get-Command $Name
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape("$Name ["))   # not the auto-generated syntax line
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($p in $cmd.Parameters.Keys | Where-Object { $common -notcontains $_ }) {
            $entry = $help.parameters.parameter | Where-Object name -eq $p
            ($entry.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$p needs help"
        }
    }

    It 'has inputs, outputs and at least two examples' {
        $help.inputTypes | Should -Not -BeNullOrEmpty
        $help.returnValues | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }

    It 'has examples that run' {
        Push-Location $TestDrive
        try {
            foreach ($ex in $help.examples.example) {
                if ($ex.code -match 'Read-Host|-Wait\b') { continue }  # interactive by design (a prompt; -Wait runs until Ctrl+C)
                { $null = [scriptblock]::Create($ex.code).Invoke() } | Should -Not -Throw -Because $ex.title
            }
        } finally { Pop-Location }
    }
}

Describe 'Help details a new user reads (issue 15)' {
    It 'fills "Default value" for parameters that have one, and says None for those that do not' {
        $p = (Get-Help New-CaCertificate -Parameter ValidityDays)
        $p.defaultValue | Should -Be '3650'
        (Get-Help Invoke-TlsHandshake -Parameter TimeoutSeconds).defaultValue | Should -Be '10'
        (Get-Help Save-Certificate -Parameter Force).defaultValue | Should -Be 'None'
        (Get-Help ConvertTo-TlsReport -Parameter Format).defaultValue | Should -Be 'Csv'
    }

    It 'Save-* -Path takes no wildcards; Read-* -Path does' {
        foreach ($name in 'Save-Certificate', 'Save-PrivateKey', 'Save-CertificateRequest', 'Save-CertificateRevocationList') {
            (Get-Help $name -Parameter Path).globbing | Should -Be 'false' -Because $name
        }
        (Get-Help Read-Certificate -Parameter Path).globbing | Should -Be 'true'
    }

    It 'about_TlsTools fits 80 columns' {
        $file = Join-Path $RepoRoot 'module/help/about_TlsTools.help.txt'
        Get-Content $file | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because $_ }
    }

    It 'ConvertTo-TlsDiagram fits 80 columns by default' {
        $cert = New-Certificate -SelfSigned -DnsName localhost -IpAddress 127.0.0.1
        $server = Start-TlsServer -Certificate $cert
        try { $ladder = Invoke-TlsHandshake 127.0.0.1 -Port $server.Port -TrustedRoot $cert | ConvertTo-TlsDiagram } finally { $server | Stop-TlsServer }
        $lines = $ladder -split "`n"
        $lines.Count | Should -BeGreaterThan 5
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
    }

    It 'no Get-TlsServerProfile example asks for input, and one scans a local server' {
        $examples = (Get-Help Get-TlsServerProfile -Full).examples.example
        $examples.code | Should -Not -Match 'Read-Host'
        ($examples.code -join "`n") | Should -Match 'Start-TlsServer'
    }
}
