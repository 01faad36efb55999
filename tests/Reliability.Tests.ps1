BeforeAll {
    . $PSScriptRoot/common.ps1
    # Seeded, deterministic mutations of valid inputs, fed to every Read- cmdlet as the pipeline would feed them.
    $script:rng = [Random]::new(20261126)
    $c = New-TestChain -Algorithm Rsa2048
    $crl = $c.Leaf | New-CertificateRevocationList -Issuer $c.Intermediate
    $req = New-CertificateRequest -DnsName 'fuzz.example.test'
    $dir = Join-Path $TestDrive 'seeds'; New-Item -ItemType Directory $dir | Out-Null
    $c.Leaf, $c.Intermediate | Save-Certificate -Path "$dir/chain.pem" | Out-Null
    $c.Leaf | Save-Certificate -Path "$dir/leaf.der" -Format Der | Out-Null
    $c.Leaf, $c.Root | Save-Certificate -Path "$dir/leaf.pfx" -Format Pfx -Password $Password | Out-Null
    $c.Leaf | Save-PrivateKey -Path "$dir/key.pem" -Password $Password | Out-Null
    $req | Save-CertificateRequest -Path "$dir/req.der" -Format Der | Out-Null
    $crl | Save-CertificateRevocationList -Path "$dir/crl.pem" | Out-Null
    $script:seeds = @{
        'Read-Certificate'               = @([IO.File]::ReadAllBytes("$dir/chain.pem"), [IO.File]::ReadAllBytes("$dir/leaf.der"), [IO.File]::ReadAllBytes("$dir/leaf.pfx"))
        'Read-PrivateKey'                = @(, [IO.File]::ReadAllBytes("$dir/key.pem"))
        'Read-CertificateRequest'        = @(, [IO.File]::ReadAllBytes("$dir/req.der"))
        'Read-CertificateRevocationList' = @(, [IO.File]::ReadAllBytes("$dir/crl.pem"))
    }

    function script:Get-Mutation([byte[]] $seed) {
        $b = [byte[]]$seed.Clone()
        switch ($rng.Next(6)) {
            0 { return $b[0..($rng.Next([Math]::Max(1, $b.Length - 1)))] }                       # truncation
            1 { for ($i = 0; $i -lt 1 + $rng.Next(8); $i++) { $j = $rng.Next($b.Length); $b[$j] = $b[$j] -bxor (1 -shl $rng.Next(8)) }; return $b }
            2 { $j = $rng.Next($b.Length); $b[$j] = [byte]$rng.Next(256); return $b }             # one random byte
            3 { $j = 1 + $rng.Next([Math]::Min(8, $b.Length - 1)); $b[$j] = 0x84; return $b }     # a huge ASN.1 length near the start
            4 { return [byte[]](@(0x30, 0x82, 0xFF, 0xFF) + $b) }                                 # wrong outer length
            5 { $t = [Text.Encoding]::ASCII.GetString($b); return [Text.Encoding]::ASCII.GetBytes($t.Replace('M', '*')) }  # bad base64
        }
    }
}

# Tagged Long (a mutation corpus, like the xunit MalformedInputTests): `build.ps1 test -Fast` skips it.
Describe 'Read- cmdlets on hostile input' -Tag Long {
    It '<_> ends every mutated input in objects or ErrorRecords with a stable ErrorId, quickly' -ForEach 'Read-Certificate', 'Read-PrivateKey', 'Read-CertificateRequest', 'Read-CertificateRevocationList' {
        $cmd = $_
        $outcomes = @{}; $max = [TimeSpan]::Zero; $n = 0
        foreach ($seed in $seeds[$cmd]) {
            for ($i = 0; $i -lt 150; $i++) {
                $input = Get-Mutation $seed
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $e = $null
                $params = @{ InputObject = $input; ErrorAction = 'SilentlyContinue'; ErrorVariable = 'e' }
                if ($cmd -in 'Read-Certificate', 'Read-PrivateKey') { $params.Password = $Password }
                $out = & $cmd @params
                $sw.Stop(); $n++
                if ($sw.Elapsed -gt $max) { $max = $sw.Elapsed }
                foreach ($err in $e) {
                    $err.Exception | Should -BeOfType ([TlsTools.TlsToolsException]) -Because "$cmd must not leak $($err.Exception.GetType().Name): $($err.Exception.Message)"
                    $outcomes[$err.FullyQualifiedErrorId.Split(',')[0]] += 1
                }
                if ($out) { $outcomes['value'] += 1 }
            }
        }
        Write-Host ("{0}: {1} inputs, max {2:N0} ms, outcomes {3}" -f $cmd, $n, $max.TotalMilliseconds, (($outcomes.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ' '))
        $max.TotalSeconds | Should -BeLessThan 30   # only against a hang; the speed is for bench/
    }
}
