using System.Collections.Generic;

namespace TlsTools.Net.StartTls
{
    /// <summary>What TlsTools knows about one STARTTLS protocol: its well-known port(s), its name in openssl and sslscan, how to speak it.</summary>
    public sealed class StartTlsProtocolInfo
    {
        internal StartTlsProtocolInfo(StartTlsProtocol protocol, string displayName, string openSslName, string? sslscanName, int[] ports, StartTlsDialect dialect)
        {
            Protocol = protocol;
            DisplayName = displayName;
            OpenSslName = openSslName;
            SslscanName = sslscanName;
            Ports = ports;
            Dialect = dialect;
        }

        public StartTlsProtocol Protocol { get; }

        /// <summary>How messages and errors name it: "SMTP", "PostgreSQL", ...</summary>
        public string DisplayName { get; }

        /// <summary>The value of <c>openssl s_client -starttls</c>: smtp, lmtp, imap, pop3, sieve, ftp, ldap, postgres, mysql, xmpp, xmpp-server, nntp, irc.</summary>
        public string OpenSslName { get; }

        /// <summary>The suffix of sslscan's <c>--starttls-X</c> option, or null when sslscan cannot speak it.</summary>
        public string? SslscanName { get; }

        /// <summary>The ports that imply this protocol when none is given (<see cref="TlsTarget"/>).</summary>
        public IReadOnlyList<int> WellKnownPorts => Ports;

        internal int[] Ports { get; }

        internal StartTlsDialect Dialect { get; }
    }

    /// <summary>
    /// The one table of STARTTLS protocols: the well-known port of each (25 and 587 SMTP, 24 LMTP, 143 IMAP, 110 POP3, 4190 Sieve,
    /// 21 FTP, 389 LDAP, 5432 PostgreSQL, 3306 MySQL, 5222 XMPP, 5269 XMPP server-to-server, 119 NNTP, 6667 IRC), its names in
    /// openssl and sslscan, and the dialect that speaks it. Implicit-TLS ports (465, 993, 995, 636, 990, 5223) are not in it: TLS
    /// starts with the first byte there.
    /// </summary>
    public static class StartTlsProtocols
    {
        private static readonly StartTlsProtocolInfo[] Table =
        {
            new StartTlsProtocolInfo(StartTlsProtocol.Smtp, "SMTP", "smtp", "smtp", new[] { 25, 587 }, new SmtpDialect("EHLO")),
            new StartTlsProtocolInfo(StartTlsProtocol.Lmtp, "LMTP", "lmtp", null, new[] { 24 }, new SmtpDialect("LHLO")),
            new StartTlsProtocolInfo(StartTlsProtocol.Imap, "IMAP", "imap", "imap", new[] { 143 }, new ImapDialect()),
            new StartTlsProtocolInfo(StartTlsProtocol.Pop3, "POP3", "pop3", "pop3", new[] { 110 }, new Pop3Dialect()),
            new StartTlsProtocolInfo(StartTlsProtocol.Sieve, "ManageSieve", "sieve", null, new[] { 4190 }, new SieveDialect()),
            new StartTlsProtocolInfo(StartTlsProtocol.Ftp, "FTP", "ftp", "ftp", new[] { 21 }, new FtpDialect()),
            new StartTlsProtocolInfo(StartTlsProtocol.Ldap, "LDAP", "ldap", "ldap", new[] { 389 }, new LdapDialect()),
            new StartTlsProtocolInfo(StartTlsProtocol.Postgres, "PostgreSQL", "postgres", "psql", new[] { 5432 }, new PostgresDialect()),
            new StartTlsProtocolInfo(StartTlsProtocol.Mysql, "MySQL", "mysql", "mysql", new[] { 3306 }, new MysqlDialect()),
            new StartTlsProtocolInfo(StartTlsProtocol.Xmpp, "XMPP", "xmpp", "xmpp", new[] { 5222 }, new XmppDialect(server: false)),
            new StartTlsProtocolInfo(StartTlsProtocol.XmppServer, "XMPP server-to-server", "xmpp-server", null, new[] { 5269 }, new XmppDialect(server: true)),
            new StartTlsProtocolInfo(StartTlsProtocol.Nntp, "NNTP", "nntp", null, new[] { 119 }, new NntpDialect()),
            new StartTlsProtocolInfo(StartTlsProtocol.Irc, "IRC", "irc", "irc", new[] { 6667 }, new IrcDialect()),
        };

        // The lookups below walk the 13 rows rather than build dictionaries: every handshake asks ForPort, and in a new
        // session dictionaries keyed by an enum or built by LINQ are generic code the JIT compiles first (tens of
        // milliseconds on the first call; issue 16).

        /// <summary>Every STARTTLS protocol (not <see cref="StartTlsProtocol.None"/>).</summary>
        public static IReadOnlyList<StartTlsProtocolInfo> All => Table;

        /// <summary>The protocol a well-known port implies, or <see cref="StartTlsProtocol.None"/> (TLS from the first byte).</summary>
        public static StartTlsProtocol ForPort(int port)
        {
            foreach (var info in Table)
            {
                foreach (int p in info.Ports)
                {
                    if (p == port) return info.Protocol;
                }
            }
            return StartTlsProtocol.None;
        }

        /// <summary>The table entry of a protocol; null for <see cref="StartTlsProtocol.None"/> or a value outside the enum.</summary>
        public static StartTlsProtocolInfo? Find(StartTlsProtocol protocol)
        {
            foreach (var info in Table)
            {
                if (info.Protocol == protocol) return info;
            }
            return null;
        }
    }
}
