using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StartTlsTable = TlsTools.Net.StartTls.StartTlsProtocols;

namespace TlsTools.Net
{
    /// <summary>What is spoken on the connection before TLS starts (the names of <c>openssl s_client -starttls</c>; see
    /// <see cref="StartTlsTable"/> for the well-known port of each).</summary>
    public enum StartTlsProtocol
    {
        /// <summary>TLS from the first byte.</summary>
        None = 0,
        /// <summary>SMTP (RFC 3207): EHLO, STARTTLS. Ports 25 and 587.</summary>
        Smtp,
        /// <summary>LMTP (RFC 2033): LHLO, STARTTLS. Port 24.</summary>
        Lmtp,
        /// <summary>IMAP (RFC 3501): CAPABILITY, STARTTLS. Port 143.</summary>
        Imap,
        /// <summary>POP3 (RFC 2595): CAPA, STLS. Port 110.</summary>
        Pop3,
        /// <summary>ManageSieve (RFC 5804): STARTTLS. Port 4190.</summary>
        Sieve,
        /// <summary>FTP (RFC 4217): AUTH TLS. Port 21.</summary>
        Ftp,
        /// <summary>LDAP (RFC 4511): the StartTLS extended operation. Port 389.</summary>
        Ldap,
        /// <summary>PostgreSQL: SSLRequest. Port 5432.</summary>
        Postgres,
        /// <summary>MySQL and MariaDB: the SSL request packet. Port 3306.</summary>
        Mysql,
        /// <summary>XMPP client-to-server (RFC 6120): starttls. Port 5222.</summary>
        Xmpp,
        /// <summary>XMPP server-to-server (RFC 6120): starttls. Port 5269.</summary>
        XmppServer,
        /// <summary>NNTP (RFC 4642): STARTTLS. Port 119.</summary>
        Nntp,
        /// <summary>IRC (IRCv3): STARTTLS. Port 6667.</summary>
        Irc,
    }

    /// <summary>
    /// Where a TLS connection goes and what it asks for: the host (a DNS name or an IP literal), the port, the SNI name to send
    /// and the protocol spoken before TLS. Parsed once (<see cref="Parse"/>, <see cref="Create"/>) and handed down to the socket and
    /// back up in the results; no layer works any of it out again. Immutable.
    /// </summary>
    /// <remarks>
    /// <para>Accepted forms: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c>, <c>[v6]</c>, a bare IPv6 literal (<c>::1</c>, no port),
    /// <c>https://host:port/</c> and <c>https://host/</c> (a path, query or fragment after the host is ignored). Ports are 1..65535;
    /// without one in the text the port given to <see cref="Parse"/> is used, else 443.</para>
    /// <para>The SNI rule: no server name given (null) → the host when it is a DNS name, no SNI when it is an IP literal; a name → that
    /// name; an empty (or blank) name → no SNI. Certificates are validated for <see cref="ValidationName"/>: the SNI name when one
    /// is sent, else the host (an IP literal is checked against the certificate's iPAddress names).</para>
    /// <para>The STARTTLS rule: a protocol given is used (<see cref="StartTlsProtocol.None"/>: TLS from the first byte, whatever the
    /// port); none given (null) → the protocol the port is well known for (<see cref="StartTlsTable.ForPort"/>: 25 and
    /// 587 SMTP, 143 IMAP, 5432 PostgreSQL, ...), else None. Implicit-TLS ports (465, 993, 995, 636, 990, 5223) imply None.</para>
    /// <para>Errors (<see cref="TlsToolsException"/>, ErrorKind InvalidArgument): InvalidTarget (empty, malformed, or not a DNS
    /// name or IP literal), InvalidPort (not 1..65535), PortConflict (a port in the text and a different port given),
    /// InvalidServerName (a server name that is not a DNS name).</para>
    /// </remarks>
    public sealed class TlsTarget
    {
        /// <summary>The port when none is given: HTTPS.</summary>
        public const int DefaultPort = 443;

        private TlsTarget(string host, IPAddress? literal, int port, string? serverName, IPAddress? address, StartTlsProtocol startTls)
        {
            Host = host;
            IsIPAddress = literal != null;
            Port = port;
            ServerName = serverName;
            IPAddress = address ?? literal;
            StartTls = startTls;
        }

        /// <summary>The host as given: a DNS name (IDNs in their ASCII form) or an IP address literal without brackets.</summary>
        public string Host { get; }

        /// <summary>True when <see cref="Host"/> is an IP address literal (it is then never looked up in DNS).</summary>
        public bool IsIPAddress { get; }

        public int Port { get; }

        /// <summary>The SNI name sent in the ClientHello; null when none is sent.</summary>
        public string? ServerName { get; }

        /// <summary>
        /// The address to connect to without asking DNS: the literal when <see cref="Host"/> is one, or the address bound with
        /// <see cref="WithAddress"/> (the one a connection went to); null when the host name is still to be resolved.
        /// </summary>
        public string? Address => IPAddress?.ToString();

        /// <summary><see cref="Address"/> as an address (kept off the public surface so results serialize plainly).</summary>
        internal IPAddress? IPAddress { get; }

        /// <summary>What is spoken before TLS: the protocol given, else the one the port implies (see the remarks), else None.</summary>
        public StartTlsProtocol StartTls { get; }

        /// <summary>The name the server's certificate is validated for: the SNI name, else the host (without a trailing dot).</summary>
        public string ValidationName => ServerName ?? Host.TrimEnd('.');

        /// <summary>True when <see cref="ValidationName"/> is an IP address (checked against iPAddress names, not DNS names).</summary>
        public bool ValidatesAsIPAddress => ServerName == null && IsIPAddress;

        /// <summary>
        /// Parses a target string (see the remarks for the forms). <paramref name="port"/> is used when the text has no port;
        /// a text port that differs from it is a PortConflict. <paramref name="serverName"/> follows the SNI rule.
        /// </summary>
        /// <exception cref="TlsToolsException">InvalidTarget, InvalidPort, PortConflict or InvalidServerName.</exception>
        public static TlsTarget Parse(string text, int? port = null, string? serverName = null, StartTlsProtocol? startTls = null)
        {
            if (port != null) CheckPort(port.Value, text);
            var s = (text ?? "").Trim();
            if (s.Length == 0) throw Invalid(text, "A host name or IP address is required.");
            int scheme = s.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                if (!s.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                    throw Invalid(text, "Only https:// URLs are accepted as targets.");
                s = s.Substring("https://".Length);
                int end = s.IndexOfAny(new[] { '/', '?', '#' });
                if (end >= 0) s = s.Substring(0, end);
                if (s.IndexOf('@') >= 0) throw Invalid(text, "A URL with user information is not a target.");
                if (s.Length == 0) throw Invalid(text, "The URL has no host.");
            }

            string host;
            string? portText = null;
            if (s.StartsWith("[", StringComparison.Ordinal))
            {
                int close = s.IndexOf(']');
                if (close < 0) throw Invalid(text, "'[' without ']': write an IPv6 address as [v6] or [v6]:port.");
                host = s.Substring(1, close - 1);
                var rest = s.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':') throw Invalid(text, "Only ':port' may follow ']'.");
                    portText = rest.Substring(1);
                }
                if (!IsIPv6(host, out _)) throw Invalid(text, "'" + host + "' in brackets is not an IPv6 address.");
            }
            else
            {
                int first = s.IndexOf(':');
                if (first >= 0 && first == s.LastIndexOf(':'))
                {
                    host = s.Substring(0, first);
                    portText = s.Substring(first + 1);
                }
                else
                {
                    host = s; // no colon, or a bare IPv6 literal (several colons): no port
                }
            }

            int? textPort = portText == null ? (int?)null : ParsePort(portText, text);
            if (textPort != null && port != null && textPort != port)
                throw new TlsToolsException(ErrorIds.PortConflict, ErrorKind.InvalidArgument,
                    "The target '" + text + "' names port " + textPort + " and port " + port + " was given too; give the port once.", target: text);
            return Create(host, textPort ?? port ?? DefaultPort, serverName, startTls);
        }

        /// <summary>A target from its parts: <paramref name="host"/> is a DNS name or IP literal (IPv6 with or without brackets), no port.</summary>
        /// <exception cref="TlsToolsException">InvalidTarget, InvalidPort or InvalidServerName.</exception>
        public static TlsTarget Create(string host, int port = DefaultPort, string? serverName = null, StartTlsProtocol? startTls = null)
        {
            CheckPort(port, host);
            var h = (host ?? "").Trim();
            if (h.Length > 1 && h[0] == '[' && h[h.Length - 1] == ']') h = h.Substring(1, h.Length - 2);
            if (h.Length == 0) throw Invalid(host, "A host name or IP address is required.");
            IPAddress? literal = null;
            if (h.IndexOf(':') >= 0)
            {
                if (!IsIPv6(h, out literal)) throw Invalid(host, "'" + h + "' is not an IPv6 address (write host:port, [v6]:port or a bare IPv6 address).");
                h = literal!.ToString();
            }
            else if (IsDottedNumbers(h))
            {
                if (!IsIPv4(h, out literal)) throw Invalid(host, "'" + h + "' is not an IPv4 address (four numbers 0..255).");
                h = literal!.ToString();
            }
            else
            {
                h = ToDnsName(h) ?? throw Invalid(host, "'" + h + "' is not a DNS name or an IP address.");
            }
            return new TlsTarget(h, literal, port, SniFor(h, literal != null, serverName), null, startTls ?? StartTlsTable.ForPort(port));
        }

        /// <summary>The same target with another STARTTLS choice (null: the one the port implies; None: TLS from the first byte).</summary>
        public TlsTarget WithStartTls(StartTlsProtocol? startTls) =>
            new TlsTarget(Host, IsIPAddress ? IPAddress : null, Port, ServerName, IsIPAddress ? null : IPAddress, startTls ?? StartTlsTable.ForPort(Port));

        /// <summary>The same target with another SNI choice (null: the default rule; empty: none; a name: that name).</summary>
        /// <exception cref="TlsToolsException">InvalidServerName.</exception>
        public TlsTarget WithServerName(string? serverName) =>
            new TlsTarget(Host, IsIPAddress ? IPAddress : null, Port, SniFor(Host, IsIPAddress, serverName), IsIPAddress ? null : IPAddress, StartTls);

        /// <summary>The same target bound to one address: later connections go there without asking DNS again.</summary>
        public TlsTarget WithAddress(IPAddress address)
        {
            if (address == null) throw new ArgumentNullException(nameof(address));
            if (IsIPAddress) return this;
            return new TlsTarget(Host, null, Port, ServerName, address, StartTls);
        }

        /// <summary><c>host:port</c>, with an IPv6 literal in brackets: <c>[::1]:443</c>.</summary>
        public override string ToString() => (Host.IndexOf(':') >= 0 ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

        private static string? SniFor(string host, bool isIPAddress, string? serverName)
        {
            if (serverName == null) return isIPAddress ? null : host.TrimEnd('.');
            var name = serverName.Trim();
            if (name.Length == 0) return null;
            var dns = IsDottedNumbers(name) || name.IndexOf(':') >= 0 ? null : ToDnsName(name);
            if (dns == null)
                throw new TlsToolsException(ErrorIds.InvalidServerName, ErrorKind.InvalidArgument,
                    "The server name '" + serverName + "' is not a DNS name (SNI carries DNS names only; '' sends none).", target: serverName);
            return dns.TrimEnd('.');
        }

        private static void CheckPort(int port, string? text)
        {
            if (port < 1 || port > 65535)
                throw new TlsToolsException(ErrorIds.InvalidPort, ErrorKind.InvalidArgument, "Port " + port + " is not between 1 and 65535.", target: text);
        }

        private static int ParsePort(string portText, string? text)
        {
            if (portText.Length == 0 || portText.Length > 5 || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p < 1 || p > 65535)
                throw new TlsToolsException(ErrorIds.InvalidPort, ErrorKind.InvalidArgument,
                    "The port in '" + text + "' is not a number between 1 and 65535.", target: text);
            return p;
        }

        private static TlsToolsException Invalid(string? text, string why) =>
            new TlsToolsException(ErrorIds.InvalidTarget, ErrorKind.InvalidArgument, "'" + text + "' is not a target: " + why, target: text);

        private static bool IsIPv6(string text, out IPAddress? address)
        {
            address = null;
            if (!IPAddress.TryParse(text, out var a) || a.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = a;
            return true;
        }

        private static bool IsDottedNumbers(string text)
        {
            foreach (var c in text.TrimEnd('.'))
                if (c != '.' && (c < '0' || c > '9')) return false;
            return true;
        }

        /// <summary>Strictly four decimal parts 0..255 (IPAddress.TryParse also takes "127.1" and "8443").</summary>
        private static bool IsIPv4(string text, out IPAddress? address)
        {
            address = null;
            var parts = text.Split('.');
            if (parts.Length != 4) return false;
            foreach (var part in parts)
                if (part.Length == 0 || part.Length > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 255)
                    return false;
            address = IPAddress.Parse(text);
            return true;
        }

        /// <summary>The ASCII form of a DNS name (labels of letters, digits, '-' and '_', 1..63 each, 253 in all), or null.</summary>
        private static string? ToDnsName(string text)
        {
            string ascii;
            try
            {
                ascii = text;
                foreach (var c in text)
                {
                    if (c > 0x7F)
                    {
                        ascii = new IdnMapping().GetAscii(text.TrimEnd('.')) + (text.EndsWith(".", StringComparison.Ordinal) ? "." : "");
                        break;
                    }
                }
            }
            catch (ArgumentException)
            {
                return null;
            }
            var body = ascii.EndsWith(".", StringComparison.Ordinal) ? ascii.Substring(0, ascii.Length - 1) : ascii;
            if (body.Length == 0 || body.Length > 253) return null;
            foreach (var label in body.Split('.'))
            {
                if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-') return null;
                foreach (var c in label)
                    if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '-' && c != '_') return null;
            }
            return ascii;
        }
    }
}
