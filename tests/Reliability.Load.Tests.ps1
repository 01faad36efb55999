# Cmdlet-level reliability: load through the pipeline, interrupted writes, passwords kept out of every record, and
# Ctrl+C that closes every socket. Each test prints its figures with Write-Host for the CI log; timings are printed, not
# asserted (bounds only guard against a hang). Tagged Long: `build.ps1 test -Fast` skips this file.
BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/Tls.common.ps1
    $script:chain = New-TestChain -Algorithm EcdsaP256 -Name 'Load'
    $script:loadFiles = Save-TlsTestFiles -Certificate $chain.Leaf -Chain $chain.Intermediate -Directory $TestDrive -Name load

    function script:Get-Memory {
        [pscustomobject]@{ Gc = [GC]::GetTotalMemory($true); WorkingSet = (Get-Process -Id $PID).WorkingSet64 }
    }

    function script:Format-Memory($Before, $After) {
        '  GC heap before {0:N0} KiB, after {1:N0} KiB ({2:+#,0;-#,0;0} KiB); working set before {3:N0} MiB, after {4:N0} MiB' -f
        ($Before.Gc / 1KB), ($After.Gc / 1KB), (($After.Gc - $Before.Gc) / 1KB), ($Before.WorkingSet / 1MB), ($After.WorkingSet / 1MB)
    }

    function script:Invoke-HandshakeLoad {
        <# $Count handshakes with 127.0.0.1:$Port through the pipeline, 50 at a time; results are counted, not kept. #>
        param([int] $Port, [int] $Count)
        $stats = @{ Results = 0; Failures = 0; Errors = [Collections.Generic.List[string]]::new() }
        $sw = [Diagnostics.Stopwatch]::StartNew()
        1..$Count | ForEach-Object { "127.0.0.1:$Port" } |
            Invoke-TlsHandshake -ThrottleLimit 50 -TimeoutSeconds 60 -SkipCertificateCheck -ErrorAction SilentlyContinue |
            ForEach-Object {
                $stats.Results++
                if (-not $_.Success) {
                    $stats.Failures++
                    if ($stats.Errors.Count -lt 5) { $stats.Errors.Add("$($_.ErrorId): $($_.Error)") }
                }
            }
        $sw.Stop()
        $stats.Elapsed = $sw.Elapsed
        $stats
    }

    function script:Test-HandshakeLoad {
        param([string] $Name, [int] $Port)
        $null = Invoke-HandshakeLoad -Port $Port -Count 50   # warm-up: JIT and pools do not count
        $before = Get-Memory
        $run = Invoke-HandshakeLoad -Port $Port -Count 1000
        $after = Get-Memory
        Write-Host ('{0}: 1,000 handshakes, -ThrottleLimit 50, {1:N1} s, {2} results, {3} failures' -f $Name, $run.Elapsed.TotalSeconds, $run.Results, $run.Failures)
        Write-Host (Format-Memory $before $after)
        foreach ($e in $run.Errors) { Write-Host "  $e" }
        $run.Results | Should -Be 1000
        $run.Failures | Should -Be 0
        ($after.Gc - $before.Gc) | Should -BeLessThan 50MB
    }

    $script:PwshCommand = Get-ChildPwshCommand

    function script:Start-ChildPwsh {
        <# Starts a child PowerShell running $Command with its output discarded; returns the Process. #>
        param([string] $Command)
        $psi = [Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
        foreach ($a in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [Diagnostics.Process]::Start($psi)
        $p.BeginOutputReadLine(); $p.BeginErrorReadLine()
        $p
    }

    function script:Wait-SocketsClosed {
        <#
        Reads every accepted socket until the client's close shows (0 bytes, or a reset) or $Seconds pass; returns
        how many are still open.
        #>
        param([Collections.Generic.List[Net.Sockets.Socket]] $Sockets, [double] $Seconds = 3)
        $buffer = [byte[]]::new(4096)
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        $open = [Collections.Generic.List[Net.Sockets.Socket]]::new($Sockets)
        while ($open.Count -and [DateTime]::UtcNow -lt $deadline) {
            foreach ($s in @($open)) {
                try {
                    if (-not $s.Poll(20000, [Net.Sockets.SelectMode]::SelectRead)) { continue }
                    if ($s.Receive($buffer) -eq 0) { $null = $open.Remove($s) }
                } catch [Net.Sockets.SocketException] { $null = $open.Remove($s) }
            }
        }
        $open.Count
    }

    function script:Receive-Pending {
        <# Accepts every connection waiting on the listeners into $Into. #>
        param([Net.Sockets.TcpListener[]] $Listeners, [Collections.Generic.List[Net.Sockets.Socket]] $Into)
        foreach ($l in $Listeners) { while ($l.Pending()) { $Into.Add($l.AcceptSocket()) } }
    }

    function script:Measure-StopOfStalled {
        <#
        Runs $Script (which imports the module and talks to the listeners) in [powershell]::Create(); once a connection
        has arrived and ~1 s has passed, calls Stop(). Returns the Stop latency, the connections accepted and how many
        of them the client left open.
        #>
        param([string] $Script, [Net.Sockets.TcpListener[]] $Listeners, [int] $Expect = 1)
        $accepted = [Collections.Generic.List[Net.Sockets.Socket]]::new()
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript($Script)
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($accepted.Count -lt $Expect -and [DateTime]::UtcNow -lt $deadline -and -not $handle.IsCompleted) {
                Receive-Pending $Listeners $accepted; Start-Sleep -Milliseconds 20
            }
            $accepted.Count | Should -BeGreaterOrEqual $Expect -Because "the cmdlet must have connected (state $($ps.InvocationStateInfo.State), $($ps.Streams.Error.Count) error(s))"   # never enumerate a running stream: that blocks
            $until = [DateTime]::UtcNow.AddSeconds(1)
            while ([DateTime]::UtcNow -lt $until) { Receive-Pending $Listeners $accepted; Start-Sleep -Milliseconds 20 }
            $ps.InvocationStateInfo.State | Should -Be 'Running'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $state = $ps.InvocationStateInfo.State
            $completed = $handle.IsCompleted
            Receive-Pending $Listeners $accepted   # connections still in the backlog: accepted now, they must read as closed too
            $open = Wait-SocketsClosed $accepted 30
            [pscustomobject]@{ StopMs = $clock.Elapsed.TotalMilliseconds; State = $state; Completed = $completed; Accepted = $accepted.Count; Open = $open }
        } finally {
            $ps.Dispose()
            foreach ($s in $accepted) { $s.Dispose() }
        }
    }
}

Describe 'Load through the pipeline' -Tag Long {
    It '1,000 handshakes with -ThrottleLimit 50 against Start-TlsServer: no failure, flat memory' {
        $server = Start-TlsServer -Certificate $chain.Leaf -Chain $chain.Intermediate
        try { Test-HandshakeLoad -Name 'Start-TlsServer' -Port $server.Port }
        finally { $server | Stop-TlsServer }
    }

    It '1,000 handshakes with -ThrottleLimit 50 against openssl s_server (one connection at a time): no failure, flat memory' {
        $srv = Start-OpenSslServer -Files $loadFiles -DiscardOutput   # its per-connection output would count in this heap
        try { Test-HandshakeLoad -Name 'openssl s_server' -Port $srv.Port }
        finally { $srv | Stop-TestProcess | Out-Null }
    }

    It '500 targets over 4 servers and a refused port with -ThrottleLimit 100: one result per target, one error per failure, no growth between the halves' {
        $servers = @(1..4 | ForEach-Object { Start-OpenSslServer -Files $loadFiles -DiscardOutput })
        $refused = New-RefusedPort
        try {
            # Each target named once (ServerName t<i>.load.test, which the result and the error carry); 1 in 10 refused.
            $targets = @(1..550 | ForEach-Object {
                    $port = if ($_ % 10 -eq 0) { $refused.Port } else { $servers[$_ % 4].Port }
                    [pscustomobject]@{ HostName = '127.0.0.1'; Port = $port; ServerName = "t$_.load.test" }
                })
            $sweep = {
                param($Part)
                $errors = $null
                $results = @($Part | Invoke-TlsHandshake -ThrottleLimit 100 -TimeoutSeconds 60 -SkipCertificateCheck -ErrorAction SilentlyContinue -ErrorVariable errors |
                        ForEach-Object { [pscustomobject]@{ Name = $_.ServerName; Success = $_.Success; ErrorId = $_.ErrorId } })
                [pscustomobject]@{ Results = $results; Errors = @($errors | ForEach-Object { [pscustomobject]@{ Name = $_.TargetObject.ServerName; Id = "$($_.FullyQualifiedErrorId)".Split(',')[0] } }) }
            }
            $null = & $sweep $targets[0..49]   # warm-up: JIT and pools do not count
            $halves = foreach ($part in @(, $targets[50..299]) + @(, $targets[300..549])) {
                $run = & $sweep $part
                $run | Add-Member -NotePropertyName Part -NotePropertyValue $part -PassThru | Add-Member -NotePropertyName Memory -NotePropertyValue (Get-Memory) -PassThru
            }
            foreach ($h in $halves) {
                $expected = @($h.Part.ServerName | Sort-Object)
                $refusedNames = @($h.Part | Where-Object Port -EQ $refused.Port | ForEach-Object ServerName | Sort-Object)
                # Exactly one result per target: the same names, none twice, none missing.
                @($h.Results.Name | Sort-Object) | Should -Be $expected
                # The refused ones failed, each with exactly one error record naming it; everything else succeeded, with none.
                @($h.Results | Where-Object { -not $_.Success } | ForEach-Object Name | Sort-Object) | Should -Be $refusedNames
                @($h.Errors.Name | Sort-Object) | Should -Be $refusedNames
                $h.Errors.Id | Select-Object -Unique | Should -Be 'ConnectionRefused'
            }
            Write-Host ('Invoke-TlsHandshake, 2 x 250 targets (4 openssl s_server + 1 refused port), -ThrottleLimit 100: {0} results, {1} errors' -f
                ($halves.Results.Count | Measure-Object -Sum).Sum, ($halves.Errors.Count | Measure-Object -Sum).Sum)
            Write-Host (Format-Memory $halves[0].Memory $halves[1].Memory)
            ($halves[1].Memory.Gc - $halves[0].Memory.Gc) | Should -BeLessThan 8MB
        } finally {
            foreach ($s in $servers) { $null = $s | Stop-TestProcess }
            $refused.Dispose()
        }
    }

    It '10,000 Test-CertificateChain calls through the pipeline: every one valid, flat memory' {
        $leaf = $chain.Leaf
        $params = @{ Intermediate = $chain.Intermediate; TrustedRoot = $chain.Root; DnsName = 'www.example.test'; Quiet = $true }
        $bad = 0
        1..200 | ForEach-Object { $leaf } | Test-CertificateChain @params | ForEach-Object { if (-not $_) { $bad++ } }   # warm-up
        $before = Get-Memory
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $n = 0
        # Every 10th input is PEM text, read afresh (new objects, new per-certificate cache entries).
        $leafPem = Get-Content -Raw $loadFiles.CertPath
        1..10000 | ForEach-Object { if ($_ % 10) { $leaf } else { $leafPem } } | Test-CertificateChain @params | ForEach-Object { $n++; if (-not $_) { $bad++ } }
        $sw.Stop()
        $after = Get-Memory
        Write-Host ('Test-CertificateChain: 10,000 calls in one pipeline (1 in 10 from PEM text), {0:N1} s, {1} results, {2} not valid' -f $sw.Elapsed.TotalSeconds, $n, $bad)
        Write-Host (Format-Memory $before $after)
        $n | Should -Be 10000
        $bad | Should -Be 0
        ($after.Gc - $before.Gc) | Should -BeLessThan 50MB
    }
}

Describe 'Interrupted writes' -Tag Long {
    It 'a Save- process killed at random moments leaves the old file or the whole new one, never a part' {
        # Two different contents per kind, written by this process; a child PowerShell alternates them in a loop.
        $dir = Join-Path $TestDrive 'interrupted'; New-Item -ItemType Directory $dir | Out-Null
        $other = New-TestChain -Algorithm Rsa2048 -Name 'Other'
        $chain.Leaf, $chain.Intermediate, $chain.Root | Save-Certificate -Path "$dir/A.crt" | Out-Null
        $other.Leaf, $other.Intermediate, $other.Root | Save-Certificate -Path "$dir/B.crt" | Out-Null
        $chain.Leaf | Save-PrivateKey -Path "$dir/A.key" | Out-Null
        $other.Leaf | Save-PrivateKey -Path "$dir/B.key" | Out-Null
        $expected = @{}
        foreach ($f in 'A.crt', 'B.crt', 'A.key', 'B.key') { $expected[$f] = [IO.File]::ReadAllBytes("$dir/$f") }
        $manifest = Join-Path $RepoRoot 'TlsTools.psd1'

        $rng = [Random]::new(20261127)
        $rounds = foreach ($i in 1..10) {
            $round = Join-Path $dir "round$i"; New-Item -ItemType Directory $round | Out-Null
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
`$c = @{ 0 = @(Read-Certificate -Path '$dir/A.crt'); 1 = @(Read-Certificate -Path '$dir/B.crt') }
`$k = @{ 0 = (Read-PrivateKey -Path '$dir/A.key'); 1 = (Read-PrivateKey -Path '$dir/B.key') }
for (`$i = 0; ; `$i++) {
    `$c[`$i % 2] | Save-Certificate -Path '$round/target.crt' -Force | Out-Null
    `$k[`$i % 2] | Save-PrivateKey -Path '$round/target.key' -Force | Out-Null
}
"@
            [pscustomobject]@{ Dir = $round; Process = $null; Script = $script; Delay = 100 + $rng.Next(801); FirstSeen = $null; Killed = $false }
        }
        try {
            # Two children at a time (2 cores): each is killed 100-900 ms after its target file first appears. The deadline
            # only guards against a hang: a child PowerShell that imports the module can take many seconds on a loaded box.
            $deadline = [DateTime]::UtcNow.AddSeconds(600)
            while (@($rounds | Where-Object { -not $_.Killed }).Count -and [DateTime]::UtcNow -lt $deadline) {
                $running = @($rounds | Where-Object { $_.Process -and -not $_.Killed })
                $next = @($rounds | Where-Object { -not $_.Process }) | Select-Object -First (2 - $running.Count)
                foreach ($r in $next) { if ($r) { $r.Process = Start-ChildPwsh $r.Script } }
                foreach ($r in $running) {
                    if (-not $r.FirstSeen -and (Test-Path "$($r.Dir)/target.crt")) { $r.FirstSeen = [Diagnostics.Stopwatch]::StartNew() }
                    if ($r.FirstSeen -and $r.FirstSeen.ElapsedMilliseconds -ge $r.Delay) {
                        Stop-Process -Id $r.Process.Id -Force
                        $null = $r.Process.WaitForExit(5000)
                        $r.Killed = $true
                    } elseif ($r.Process.HasExited) {
                        throw "the writer exited by itself (exit code $($r.Process.ExitCode)) in $($r.Dir)"
                    }
                }
                Start-Sleep -Milliseconds 5
            }
        } finally {
            foreach ($r in $rounds) { if ($r.Process -and -not $r.Process.HasExited) { $r.Process.Kill() ; $null = $r.Process.WaitForExit(5000) } }
        }
        @($rounds | Where-Object Killed).Count | Should -Be 10 -Because 'every writer must have started writing and been killed'

        $summary = foreach ($r in $rounds) {
            $states = foreach ($kind in 'crt', 'key') {
                $target = "$($r.Dir)/target.$kind"
                # Not `if (...) { ... } else { [byte[]]@() }`: an empty array written to the pipeline arrives as $null.
                $bytes = [byte[]]::new(0)
                if (Test-Path $target) { $bytes = [IO.File]::ReadAllBytes($target) }
                $which = if ([Convert]::ToBase64String($bytes) -ceq [Convert]::ToBase64String($expected["A.$kind"])) { 'A' }
                elseif ([Convert]::ToBase64String($bytes) -ceq [Convert]::ToBase64String($expected["B.$kind"])) { 'B' }
                elseif ($kind -eq 'key' -and $bytes.Length -eq 0 -and -not (Test-Path $target)) { 'none' }   # killed before its first key write
                else { "PARTIAL($($bytes.Length) bytes)" }
                $which | Should -Not -BeLike 'PARTIAL*' -Because "$target must be A or B whole"
                "$kind=$which"
            }
            $temps = @(Get-ChildItem -Force $r.Dir -Filter '*.tmp').Count
            '{0} ms: {1}, {2} temp file(s) of the killed writer' -f $r.Delay, ($states -join ' '), $temps
        }
        Write-Host "Interrupted Save-Certificate/Save-PrivateKey -Force, 10 kills:"
        $summary | ForEach-Object { Write-Host "  $_" }
    }
}

Describe 'Passwords stay out of errors, verbose output and transcripts' -Tag Long {
    It 'a wrong password for Read-PrivateKey and Read-Certificate, and Save-PrivateKey -Password -Verbose, never show the text' {
        $secretText = 'Zx9-unique-Secret-4711'
        $wrongText = 'Wq2-wrong-Guess-0815'
        $secret = ConvertTo-SecureString $secretText -AsPlainText -Force
        $wrong = ConvertTo-SecureString $wrongText -AsPlainText -Force
        $dir = Join-Path $TestDrive 'secrets'; New-Item -ItemType Directory $dir | Out-Null
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $Error.Clear()
        Start-Transcript -Path $transcript -IncludeInvocationHeader | Out-Null
        try {
            $verbose = @(
                $chain.Leaf | Save-PrivateKey -Path "$dir/key.pem" -Password $secret -Verbose 4>&1
                $chain.Leaf, $chain.Root | Save-Certificate -Path "$dir/leaf.pfx" -Format Pfx -Password $secret -Verbose 4>&1
                Read-PrivateKey -Path "$dir/key.pem" -Password $wrong -Verbose -ErrorAction SilentlyContinue 4>&1
                Read-Certificate -Path "$dir/leaf.pfx" -Password $wrong -Verbose -ErrorAction SilentlyContinue 4>&1
                Read-PrivateKey -Path "$dir/key.pem" -Verbose -ErrorAction SilentlyContinue 4>&1   # no password for an encrypted key
                Read-PrivateKey -Path "$dir/key.pem" -Password $secret -Verbose 4>&1
            ) | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
            $null = Get-ErrorId { Read-PrivateKey -Path "$dir/key.pem" -Password $wrong }   # a terminating form too
            $Error | Out-String | Write-Host   # the errors, as a user would see them, into the transcript
        } finally { Stop-Transcript | Out-Null }

        $Error.Count | Should -BeGreaterOrEqual 3 -Because 'the wrong and missing passwords must have failed'
        $records = @($Error | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        $texts = @(
            $Error | Out-String
            $Error | Format-List * -Force | Out-String
            foreach ($r in $records) {
                $r.ToString(); $r.InvocationInfo.Line; $r.InvocationInfo.PositionMessage; "$($r.TargetObject)"; "$($r.ErrorDetails)"
                ($r.InvocationInfo.BoundParameters.Values | ForEach-Object { "$_" }) -join ' '
                for ($e = $r.Exception; $e; $e = $e.InnerException) { $e.ToString(); $e | Format-List * -Force | Out-String }
            }
            $verbose | Out-String
            Get-Content -Raw $transcript
        ) -join "`n"
        Write-Host ('Passwords: {0} error records ({1}), {2} verbose records, transcript {3:N0} bytes: no password text found' -f
            $records.Count, (($records | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) -join ', '), $verbose.Count, (Get-Item $transcript).Length)
        $verbose.Count | Should -BeGreaterThan 0
        $texts | Should -Not -BeLike "*$secretText*"
        $texts | Should -Not -BeLike "*$wrongText*"
    }
}

Describe 'Ctrl+C at cmdlet level closes every connection' -Tag Long {
    It 'Invoke-TlsHandshake -TimeoutSeconds 60 to a stalled server: Stop() ends it and closes the socket' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $script = "Import-Module '$RepoRoot/TlsTools.psd1'; Invoke-TlsHandshake -HostName 127.0.0.1 -Port $($listener.LocalEndpoint.Port) -TimeoutSeconds 60 -SkipCertificateCheck"
            $m = Measure-StopOfStalled -Script $script -Listeners $listener
            Write-Host ('Invoke-TlsHandshake stalled: Stop() returned after {0:N0} ms; {1} connection(s) accepted, {2} left open' -f $m.StopMs, $m.Accepted, $m.Open)
            # Stopped, not Completed: the stop ended it, not the 60 s timeout. The bound only guards against a hang.
            $m.State | Should -Be 'Stopped'
            $m.Completed | Should -BeTrue
            $m.StopMs | Should -BeLessThan 30000
            $m.Open | Should -Be 0
        } finally { $listener.Stop() }
    }

    It 'Get-TlsServerProfile over 10 stalled hosts: Stop() ends it and closes every socket' {
        $listeners = 1..10 | ForEach-Object { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $l }
        try {
            $targets = ($listeners | ForEach-Object { "[pscustomobject]@{ HostName = '127.0.0.1'; Port = $($_.LocalEndpoint.Port) }" }) -join ', '
            $script = "Import-Module '$RepoRoot/TlsTools.psd1'; $targets | Get-TlsServerProfile -ThrottleLimit 10 -TimeoutSeconds 60"
            $m = Measure-StopOfStalled -Script $script -Listeners $listeners -Expect 10
            Write-Host ('Get-TlsServerProfile, 10 stalled hosts: Stop() returned after {0:N0} ms; {1} connection(s) accepted, {2} left open' -f $m.StopMs, $m.Accepted, $m.Open)
            $m.State | Should -Be 'Stopped'
            $m.Completed | Should -BeTrue
            $m.StopMs | Should -BeLessThan 30000
            $m.Open | Should -Be 0
        } finally { $listeners | ForEach-Object { $_.Stop() } }
    }
}
