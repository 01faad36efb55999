-- A private Prosody for the STARTTLS tests (XMPP c2s and s2s): 127.0.0.1 only, in the foreground, data under a temp dir.
-- @DIR@, @CERT@, @KEY@, @PORT@ and @S2S_PORT@ are filled in by tests/StartTls.peers.ps1.
run_as_root = true
daemonize = false
pidfile = "@DIR@/prosody.pid"
data_path = "@DIR@/data"
log = { info = "@DIR@/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { @PORT@ }
s2s_ports = { @S2S_PORT@ }
c2s_direct_tls_ports = { }
s2s_direct_tls_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "tls"; "saslauth"; "disco"; "dialback" }
c2s_require_encryption = true
ssl = { certificate = "@CERT@"; key = "@KEY@"; }
VirtualHost "mail.tlstools.test"
-- sslscan --starttls-xmpp opens its stream to the host it connects to (no way to name the domain): serve that too.
VirtualHost "127.0.0.1"
