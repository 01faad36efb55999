# Real STARTTLS servers on 127.0.0.1 for tests/StartTls.RealServers.Tests.ps1 and bench/StartTls.Bench.ps1: postfix (SMTP,
# submission, and SMTP with TLS off), dovecot (IMAP, POP3, ManageSieve, LMTP), vsftpd (FTP), slapd (LDAP), PostgreSQL,
# MariaDB and prosody (XMPP c2s and s2s). Each runs from its config in tests/peers/<server>/ (templates: @DIR@, @CERT@, @KEY@,
# ports) in its own temp directory, on free ports, started in parallel; Stop-StartTlsPeers kills every process it started.
# Dot-source after the module is imported. Which package holds which server: tests/Peers.psd1 (Group StartTls).

. $PSScriptRoot/Peers.common.ps1

$script:StartTlsPeerConfigs = Join-Path $PSScriptRoot 'peers'

function Get-StartTlsPeerPackage {
    <# The STARTTLS servers of tests/Peers.psd1 (the one list the test command installs from) as (Tool, Packages) records. #>
    foreach ($p in (Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Peers.psd1')).Peers | Where-Object { $_.Group -eq 'StartTls' }) {
        [pscustomobject]@{ Tool = $p.Command; Packages = @($p.Apt) }
    }
}

function Get-StartTlsPeerInstallCommand {
    <# The apt-get command that installs every server of the list. #>
    'DEBIAN_FRONTEND=noninteractive apt-get install -y ' + ((Get-StartTlsPeerPackage).Packages -join ' ')
}

function Expand-StartTlsPeerConfig {
    <# Copies a config template with its @NAME@ placeholders replaced. #>
    param([string] $Template, [string] $Destination, [hashtable] $Values)
    $text = Get-Content -Raw -LiteralPath (Join-Path $StartTlsPeerConfigs $Template)
    foreach ($k in $Values.Keys) { $text = $text.Replace("@$k@", [string]$Values[$k]) }
    if ($text -match '@[A-Z_]+@') { throw "Expand-StartTlsPeerConfig: $Template still holds $($Matches[0])" }
    Set-Content -LiteralPath $Destination -Value $text -NoNewline
}

function Copy-StartTlsPeerKey {
    <# The certificate and key in $Directory, owned by $Owner (a server that drops privileges reads them as that user). #>
    param([string] $Directory, $Files, [string] $Owner)
    $cert = Join-Path $Directory 'cert.pem'
    $key = Join-Path $Directory 'key.pem'
    Copy-Item -LiteralPath $Files.Cert $cert -Force
    Copy-Item -LiteralPath $Files.Key $key -Force
    & chmod 600 $key
    if ($Owner) { & chown -R $Owner $Directory }
    @{ CERT = $cert; KEY = $key }
}

function Start-StartTlsPeers {
    <#
    Starts every installed server in its own directory under $Directory with a certificate for mail.tlstools.test (and
    127.0.0.1) issued by a fresh CA; returns once each listens on all its ports (within 90 s). The result: Root (the CA),
    Leaf, Endpoints (name -> port), Missing (servers not installed, with the install command), Peers (to stop).
    #>
    param([Parameter(Mandatory)] [string] $Directory, [string[]] $Only)
    $root = New-CaCertificate -Subject 'CN=TlsTools STARTTLS Test CA, O=TlsTools Tests' -Algorithm Rsa2048
    $leaf = New-Certificate -Issuer $root -Subject 'CN=mail.tlstools.test' -DnsName 'mail.tlstools.test' -IpAddress 127.0.0.1 -Algorithm Rsa2048
    $files = @{ Cert = (Join-Path $Directory 'server.crt'); Key = (Join-Path $Directory 'server.key') }
    Save-Certificate -Path $files.Cert -Certificate $leaf -Force
    Save-PrivateKey -Path $files.Key -PrivateKey $leaf.PrivateKey -Force
    $state = [pscustomobject]@{ Root = $root; Leaf = $leaf; Endpoints = @{}; Missing = @{}; Peers = [Collections.Generic.List[object]]::new(); Directory = $Directory }
    $installed = @{}
    foreach ($p in Get-StartTlsPeerPackage) { $installed[$p.Tool] = [bool](Get-Command $p.Tool -ErrorAction Ignore) }
    $want = { param($name) -not $Only -or $Only -contains $name }
    $pending = @{}   # endpoint -> port, still to listen

    function Add-Peer($name, $proc, [hashtable] $ports) {
        $state.Peers.Add([pscustomobject]@{ Name = $name; Peer = $proc })
        foreach ($k in $ports.Keys) { $state.Endpoints[$k] = $ports[$k]; $pending[$k] = $ports[$k] }
    }
    function Skip-Peer($name, $tool, [string[]] $endpoints) {
        $package = (Get-StartTlsPeerPackage | Where-Object Tool -eq $tool).Packages -join ' '
        foreach ($e in $endpoints) { $state.Missing[$e] = "$name is not installed: DEBIAN_FRONTEND=noninteractive apt-get install -y $package" }
    }

    if (& $want 'postfix') {
        if (-not $installed['postfix']) { Skip-Peer 'postfix' 'postfix' 'Smtp', 'Submission', 'SmtpNoTls' } else {
            $d = New-Item -ItemType Directory -Force (Join-Path $Directory 'postfix')
            $v = Copy-StartTlsPeerKey $d.FullName $files $null
            $ports = @{ Smtp = Get-FreeTcpPort; Submission = Get-FreeTcpPort; SmtpNoTls = Get-FreeTcpPort }
            $null = New-Item -ItemType Directory -Force (Join-Path $d 'conf'), (Join-Path $d 'queue'), (Join-Path $d 'data')
            & chown postfix (Join-Path $d 'data')
            $v += @{ DIR = $d.FullName; PORT = $ports.Smtp; SUBMISSION_PORT = $ports.Submission; NOTLS_PORT = $ports.SmtpNoTls }
            Expand-StartTlsPeerConfig 'postfix/main.cf' (Join-Path $d 'conf/main.cf') $v
            Expand-StartTlsPeerConfig 'postfix/master.cf' (Join-Path $d 'conf/master.cf') $v
            & postfix -c (Join-Path $d 'conf') check 2>&1 | Out-Null   # makes the queue's subdirectories
            Add-Peer 'postfix' (Start-TestProcess postfix -ArgumentList '-c', (Join-Path $d 'conf'), 'start-fg' -WorkingDirectory $d) $ports
        }
    }
    if (& $want 'dovecot') {
        if (-not $installed['dovecot']) { Skip-Peer 'dovecot' 'dovecot' 'Imap', 'Pop3', 'Sieve', 'Lmtp' } else {
            $d = New-Item -ItemType Directory -Force (Join-Path $Directory 'dovecot')
            $v = Copy-StartTlsPeerKey $d.FullName $files $null
            $ports = @{ Imap = Get-FreeTcpPort; Pop3 = Get-FreeTcpPort; Sieve = Get-FreeTcpPort; Lmtp = Get-FreeTcpPort }
            $v += @{ DIR = $d.FullName; IMAP_PORT = $ports.Imap; POP3_PORT = $ports.Pop3; SIEVE_PORT = $ports.Sieve; LMTP_PORT = $ports.Lmtp }
            Expand-StartTlsPeerConfig 'dovecot/dovecot.conf' (Join-Path $d 'dovecot.conf') $v
            Add-Peer 'dovecot' (Start-TestProcess dovecot -ArgumentList '-F', '-c', (Join-Path $d 'dovecot.conf') -WorkingDirectory $d) $ports
        }
    }
    if (& $want 'vsftpd') {
        if (-not $installed['vsftpd']) { Skip-Peer 'vsftpd' 'vsftpd' 'Ftp' } else {
            $d = New-Item -ItemType Directory -Force (Join-Path $Directory 'vsftpd')
            $v = Copy-StartTlsPeerKey $d.FullName $files $null
            $empty = New-Item -ItemType Directory -Force (Join-Path $d 'empty')
            & chmod 555 $empty.FullName
            $ports = @{ Ftp = Get-FreeTcpPort }
            $v += @{ DIR = $d.FullName; PORT = $ports.Ftp }
            Expand-StartTlsPeerConfig 'vsftpd/vsftpd.conf' (Join-Path $d 'vsftpd.conf') $v
            Add-Peer 'vsftpd' (Start-TestProcess vsftpd -ArgumentList (Join-Path $d 'vsftpd.conf') -WorkingDirectory $d) $ports
        }
    }
    if (& $want 'slapd') {
        if (-not $installed['slapd']) { Skip-Peer 'slapd' 'slapd' 'Ldap' } else {
            $d = New-Item -ItemType Directory -Force (Join-Path $Directory 'slapd')
            $v = Copy-StartTlsPeerKey $d.FullName $files $null
            $ports = @{ Ldap = Get-FreeTcpPort }
            $v += @{ DIR = $d.FullName }
            Expand-StartTlsPeerConfig 'slapd/slapd.conf' (Join-Path $d 'slapd.conf') $v
            Add-Peer 'slapd' (Start-TestProcess slapd -ArgumentList '-f', (Join-Path $d 'slapd.conf'), '-h', "ldap://127.0.0.1:$($ports.Ldap)/", '-d', '0' -WorkingDirectory $d) $ports
        }
    }
    if (& $want 'postgresql') {
        $bin = Get-Item '/usr/lib/postgresql/*/bin/postgres' -ErrorAction Ignore | Sort-Object FullName | Select-Object -Last 1
        if (-not $installed['pg_ctlcluster'] -or -not $bin) { Skip-Peer 'postgresql' 'pg_ctlcluster' 'Postgres' } else {
            $d = New-Item -ItemType Directory -Force (Join-Path $Directory 'postgresql')
            $v = Copy-StartTlsPeerKey $d.FullName $files 'postgres'
            $ports = @{ Postgres = Get-FreeTcpPort }
            $data = Join-Path $d 'data'
            & runuser -u postgres -- (Join-Path $bin.DirectoryName 'initdb') -D $data -A trust -U postgres --no-sync 2>&1 | Out-Null
            $v += @{ DIR = $d.FullName; PORT = $ports.Postgres; SSL = 'on' }
            Expand-StartTlsPeerConfig 'postgresql/postgresql.conf' (Join-Path $d 'tlstools.conf') $v
            Add-Content -LiteralPath (Join-Path $data 'postgresql.conf') -Value (Get-Content -Raw (Join-Path $d 'tlstools.conf'))
            Add-Peer 'postgresql' (Start-TestProcess runuser -ArgumentList '-u', 'postgres', '--', $bin.FullName, '-D', $data -WorkingDirectory $d) $ports
        }
    }
    if (& $want 'mariadb') {
        if (-not $installed['mariadbd']) { Skip-Peer 'mariadb' 'mariadbd' 'Mysql' } else {
            $d = New-Item -ItemType Directory -Force (Join-Path $Directory 'mariadb')
            $null = New-Item -ItemType Directory -Force (Join-Path $d 'data')
            $v = Copy-StartTlsPeerKey $d.FullName $files 'mysql'
            $ports = @{ Mysql = Get-FreeTcpPort }
            $v += @{ DIR = $d.FullName; PORT = $ports.Mysql }
            Expand-StartTlsPeerConfig 'mariadb/my.cnf' (Join-Path $d 'my.cnf') $v
            Add-Peer 'mariadb' (Start-TestProcess mariadbd -ArgumentList "--defaults-file=$(Join-Path $d 'my.cnf')" -WorkingDirectory $d) $ports
        }
    }
    if (& $want 'prosody') {
        if (-not $installed['prosody']) { Skip-Peer 'prosody' 'prosody' 'Xmpp', 'XmppServer' } else {
            $d = New-Item -ItemType Directory -Force (Join-Path $Directory 'prosody')
            $null = New-Item -ItemType Directory -Force (Join-Path $d 'data')
            $v = Copy-StartTlsPeerKey $d.FullName $files $null
            $ports = @{ Xmpp = Get-FreeTcpPort; XmppServer = Get-FreeTcpPort }
            $v += @{ DIR = $d.FullName; PORT = $ports.Xmpp; S2S_PORT = $ports.XmppServer }
            Expand-StartTlsPeerConfig 'prosody/prosody.cfg.lua' (Join-Path $d 'prosody.cfg.lua') $v
            Add-Peer 'prosody' (Start-TestProcess prosody -ArgumentList '--config', (Join-Path $d 'prosody.cfg.lua'), '-F' -WorkingDirectory $d) $ports
        }
    }

    # Ready when every port accepts a connection (servers log to files, not to a pipe the tests could read).
    foreach ($p in $state.Peers) { $p.Peer.Stdout = $p.Peer.Process.StandardOutput.ReadToEndAsync(); $p.Peer.Stderr = $p.Peer.Process.StandardError.ReadToEndAsync() }
    $deadline = [DateTime]::UtcNow.AddSeconds(90)
    while ($pending.Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) {
        foreach ($k in @($pending.Keys)) {
            $c = [Net.Sockets.TcpClient]::new()
            try { if ($c.ConnectAsync([Net.IPAddress]::Loopback, $pending[$k]).Wait(500)) { $pending.Remove($k) } } catch { } finally { $c.Dispose() }
        }
        if ($pending.Count -gt 0) { Start-Sleep -Milliseconds 200 }
    }
    foreach ($k in $pending.Keys) { $state.Missing[$k] = "the server for $k did not listen on 127.0.0.1:$($pending[$k]) within 90 s (logs in $Directory)" }
    $state
}

function Stop-StartTlsPeers {
    <# Kills every server process Start-StartTlsPeers started (with its children). #>
    param($State)
    if (-not $State) { return }
    foreach ($p in $State.Peers) { $null = $p.Peer | Stop-TestProcess }
}
