# The real peers the tests talk to: one home for the list. build.ps1's test task installs the missing ones
# (apt-get on Debian/Ubuntu as root or with passwordless sudo) or stops at once naming the command to run.
# Command: what must be on PATH (or at one of Paths). Apt/Brew: the package that brings it on that platform.
@{
    Peers = @(
        @{ Command = 'openssl';     Apt = 'openssl';   Brew = 'openssl@3' }
        @{ Command = 'gnutls-serv'; Apt = 'gnutls-bin'; Brew = 'gnutls' }
        @{ Command = 'gnutls-cli';  Apt = 'gnutls-bin'; Brew = 'gnutls' }
        @{ Command = 'sslscan';     Apt = 'sslscan';   Brew = 'sslscan' }
        @{ Command = 'python3';     Apt = 'python3';   Brew = 'python@3' }
        # The OS trust store as Debian ships it (Mozilla's roots): the trust-anchor tests read every root in it.
        @{ Command = 'ca-certificates.crt'; Paths = @('/etc/ssl/certs/ca-certificates.crt'); Apt = 'ca-certificates'; Brew = 'ca-certificates' }
        # The real servers of the STARTTLS tests (tests/StartTls.RealServers.Tests.ps1, bench/StartTls.Bench.ps1).
        @{ Command = 'postfix';       Paths = @('/usr/sbin/postfix');  Apt = 'postfix';    Group = 'StartTls' }
        @{ Command = 'dovecot';       Paths = @('/usr/sbin/dovecot');  Apt = 'dovecot-imapd', 'dovecot-pop3d', 'dovecot-managesieved', 'dovecot-lmtpd'; Group = 'StartTls' }
        @{ Command = 'vsftpd';        Paths = @('/usr/sbin/vsftpd');   Apt = 'vsftpd';     Group = 'StartTls' }
        @{ Command = 'slapd';         Paths = @('/usr/sbin/slapd');    Apt = 'slapd';      Group = 'StartTls' }
        @{ Command = 'pg_ctlcluster'; Apt = 'postgresql';     Group = 'StartTls' }
        @{ Command = 'mariadbd';      Paths = @('/usr/sbin/mariadbd'); Apt = 'mariadb-server'; Group = 'StartTls' }
        @{ Command = 'prosody';       Apt = 'prosody';        Group = 'StartTls' }
        # The servers of the assessment tests (tests/Assessment.Nginx.Tests.ps1, bench/Assessment.Bench.ps1): nginx with
        # Mozilla's configurations (tests/peers/nginx/), and testssl.sh, which the assessment is compared with.
        @{ Command = 'nginx';   Paths = @('/usr/sbin/nginx'); Apt = 'nginx';      Group = 'Assessment' }
        @{ Command = 'testssl'; Paths = @('/usr/bin/testssl'); Apt = 'testssl.sh'; Group = 'Assessment' }
    )
}
