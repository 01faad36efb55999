# The README's test command sets up its own peers (tests/Initialize-TestPeer.ps1 over tests/Peers.psd1).
Describe 'Test set-up: the peers the tests need' {
    BeforeAll {
        $script:Init = Join-Path $PSScriptRoot 'Initialize-TestPeer.ps1'
        $script:Table = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Peers.psd1')
    }

    It 'finds every peer of tests/Peers.psd1 on this machine (build.ps1 test installed them)' {
        { & $Init } | Should -Not -Throw
        foreach ($p in $Table.Peers) {
            $found = [bool](Get-Command $p.Command -CommandType Application -ErrorAction Ignore) -or
                [bool](@($p.Paths) | Where-Object { $_ -and (Resolve-Path $_ -ErrorAction Ignore) })
            $found | Should -BeTrue -Because "$($p.Command) is a listed peer"
        }
    }

    It 'stops at once naming the missing peer and the exact command to run' {
        $fake = Join-Path $TestDrive 'peers.psd1'
        Set-Content $fake "@{ Peers = @( @{ Command = 'openssl'; Apt = 'openssl'; Brew = 'openssl@3' }, @{ Command = 'tlstools-no-such-peer'; Apt = 'tlstools-no-such-package'; Brew = 'tlstools-no-such-formula' } ) }"
        $err = $null
        try { & $Init -PeerTable $fake -NoInstall } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        "$err" | Should -Match 'not installed: tlstools-no-such-peer\.'
        "$err" | Should -Not -Match 'openssl'
        if ($IsMacOS) { "$err" | Should -Match 'Run: brew install tlstools-no-such-formula$' }
        elseif ($IsLinux) { "$err" | Should -Match 'Run: sudo apt-get install -y tlstools-no-such-package$' }
    }

    It 'runs before the build in the test task, and .ci/run is that same command' {
        $build = Get-Content (Join-Path $PSScriptRoot '../build.ps1') -Raw
        $build.IndexOf('Initialize-TestPeer.ps1') | Should -BeGreaterThan 0
        $build.IndexOf('Initialize-TestPeer.ps1') | Should -BeLessThan $build.IndexOf('Invoke-Build', $build.IndexOf("'test' {"))
        $ci = Get-Content (Join-Path $PSScriptRoot '../.ci/run') | Where-Object { $_ -notmatch '^\s*#' -and $_ -match 'apt-get' }
        $ci | Should -BeNullOrEmpty -Because 'the peers are installed by the test command itself, not by CI'
    }
}
