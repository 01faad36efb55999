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
                if ($ex.code -match 'Read-Host') { continue }  # interactive by design
                { $null = [scriptblock]::Create($ex.code).Invoke() } | Should -Not -Throw -Because $ex.title
            }
        } finally { Pop-Location }
    }
}
