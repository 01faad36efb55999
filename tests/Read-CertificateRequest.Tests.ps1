BeforeAll { . $PSScriptRoot/common.ps1 }

# Several request files are read and validated in parallel (issue 16); what comes out must be what a one-by-one read gives:
# every request in input order, each error (same ErrorId) at its input's place, and -ErrorAction Stop stopping there.
Describe 'Read-CertificateRequest over many files' {
    BeforeAll {
        $dir = Join-Path $TestDrive 'csrs'
        New-Item -ItemType Directory $dir | Out-Null
        $keys = 1..3 | ForEach-Object { New-PrivateKey -Algorithm Rsa2048 }
        $files = 1..50 | ForEach-Object {
            $p = Join-Path $dir ('host{0:D2}.csr' -f $_)
            if ($_ -eq 25) {
                # The bad one in the middle: a PEM block that is no request.
                Set-Content -Path $p -Value "-----BEGIN CERTIFICATE REQUEST-----`nAAAAAAAA`n-----END CERTIFICATE REQUEST-----"
            } else {
                New-CertificateRequest -Subject ('CN=host{0:D2}.example.test' -f $_) -PrivateKey $keys[$_ % 3] | Save-CertificateRequest -Path $p | Out-Null
            }
            $p
        }
        $bad = $files[24]
        $expected = 1..50 | ForEach-Object { if ($_ -eq 25) { "error:InvalidCertificateRequest:$bad" } else { 'CN=host{0:D2}.example.test' -f $_ } }

        function ConvertTo-Trace {
            # Objects and ErrorRecords as they came out, in one stream: subjects, and error:<ErrorId>:<TargetObject>.
            process {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { "error:$($_.FullyQualifiedErrorId.Split(',')[0]):$($_.TargetObject)" }
                else { $_.Subject }
            }
        }
    }

    It 'writes the requests of a -LiteralPath array in order, the bad file''s error at its place' {
        $trace = @(Read-CertificateRequest -LiteralPath $files 2>&1 | ConvertTo-Trace)
        $trace | Should -Be $expected
    }

    It 'keeps the order of a wildcard -Path' {
        $trace = @(Read-CertificateRequest -Path (Join-Path $dir 'host*.csr') 2>&1 | ConvertTo-Trace)
        $trace | Should -Be $expected
    }

    It 'keeps the order of files piped one by one from Get-ChildItem' {
        $trace = @(Get-ChildItem -LiteralPath $dir -Filter *.csr | Sort-Object Name | Read-CertificateRequest 2>&1 | ConvertTo-Trace)
        $trace | Should -Be $expected
    }

    It 'keeps the order of file names piped as strings' {
        $trace = @($files | Read-CertificateRequest 2>&1 | ConvertTo-Trace)
        $trace | Should -Be $expected
    }

    It 'puts a missing file''s PathNotFound at its place among the others' {
        $missing = Join-Path $dir 'none.csr'
        $list = @($files[0..9]) + $missing + @($files[10..19])
        $trace = @(Read-CertificateRequest -LiteralPath $list 2>&1 | ConvertTo-Trace)
        $trace.Count | Should -Be 21
        $trace[10] | Should -Be "error:PathNotFound:$missing"
        $trace[0..9] | Should -Be $expected[0..9]
        $trace[11..20] | Should -Be $expected[10..19]
    }

    It 'validates each key as before: every request read in parallel verifies and matches its key' {
        $requests = @(Read-CertificateRequest -LiteralPath ($files | Where-Object { $_ -ne $bad }))
        $requests.Count | Should -Be 49
        $requests | ForEach-Object { $_.SignatureValid | Should -BeTrue }
        $requests[0].PublicKeySha256 | Should -Be $keys[1].PublicKeySha256
        $requests[1].PublicKeySha256 | Should -Be $keys[2].PublicKeySha256
    }

    It 'stops at the bad file with -ErrorAction Stop, after writing every request before it' {
        $got = [Collections.Generic.List[object]]::new()
        $err = $null
        try {
            Read-CertificateRequest -LiteralPath $files -ErrorAction Stop | ForEach-Object { $got.Add($_) }
        } catch {
            $err = $_
        }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId.Split(',')[0] | Should -Be 'InvalidCertificateRequest'
        $got.Count | Should -Be 24
        $got[23].Subject | Should -Be 'CN=host24.example.test'
    }

    It 'reads a PEM bundle (a file, or its lines piped from Get-Content) in file order; a bad block fails it as before' {
        $good = @($files | Where-Object { $_ -ne $bad })
        $bundle = Join-Path $TestDrive 'bundle.csr'
        Get-Content -LiteralPath $good | Set-Content -LiteralPath $bundle
        $want = @($expected | Where-Object { $_ -notlike 'error:*' })
        @(Read-CertificateRequest -LiteralPath $bundle | ForEach-Object Subject) | Should -Be $want
        @(Get-Content -LiteralPath $bundle | Read-CertificateRequest | ForEach-Object Subject) | Should -Be $want
        $broken = Join-Path $TestDrive 'broken.csr'
        Get-Content -LiteralPath ($good[0..9] + $bad + $good[10..19]) | Set-Content -LiteralPath $broken
        Get-ErrorId { Read-CertificateRequest -LiteralPath $broken } | Should -Be 'InvalidCertificateRequest'
    }

    It 'ends early when the pipeline wants no more (Select-Object -First)' {
        @(Read-CertificateRequest -LiteralPath $files | Select-Object -First 3 | ForEach-Object Subject) | Should -Be $expected[0..2]
        @(Get-ChildItem -LiteralPath $dir -Filter *.csr | Sort-Object Name | Read-CertificateRequest | Select-Object -First 2 | ForEach-Object Subject) | Should -Be $expected[0..1]
    }

    It 'reads one file as before' {
        $r = Read-CertificateRequest -LiteralPath $files[0]
        $r.Subject | Should -Be 'CN=host01.example.test'
        Get-ErrorId { Read-CertificateRequest -LiteralPath $bad } | Should -Be 'InvalidCertificateRequest'
    }

    It 'stops at once when the pipeline is stopped (Ctrl+C) while <Name>' -ForEach @(
        @{ Name = 'a long bundle is read among other files (in parallel)'; WithFiles = $true }
        @{ Name = 'a long bundle is the only input (read inline)'; WithFiles = $false }
    ) {
        # A bundle of ~3,000 RSA requests: seconds of key validation that only the stop token can cut short (no result
        # comes out of it before it is done, so PowerShell's own stop at the next write does not help).
        $good = @($files | Where-Object { $_ -ne $bad })
        $big = Join-Path $TestDrive 'big.csr'
        if (-not (Test-Path $big)) { Get-Content -LiteralPath @(1..60 | ForEach-Object { $good }) | Set-Content -LiteralPath $big }
        $inputs = if ($WithFiles) { @($big) + $good } else { @($big) }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument((Join-Path $RepoRoot 'TlsTools.psd1')).AddStatement()
            $null = $ps.AddCommand('Read-CertificateRequest').AddParameter('LiteralPath', $inputs)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
            Start-Sleep -Milliseconds 1500 # the import, then well into the bundle
            $async.IsCompleted | Should -BeFalse
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            # Only against a hang: the rest of the bundle takes seconds; a stop that waits for it fails here.
            $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(5)) | Should -BeTrue
            $sw.Stop()
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $output.Count | Should -Be 0
        } finally {
            $ps.Dispose()
        }
    }
}
