using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using TlsTools.Net;
using TlsTools.Pki;

namespace TlsTools.Tls
{
    /// <summary>Protocol versions TlsTools can offer and report.</summary>
    public enum TlsVersion
    {
        Ssl30,
        Tls10,
        Tls11,
        Tls12,
        Tls13,
    }

    /// <summary>Which side sent a transcript message.</summary>
    public enum Sender
    {
        Client,
        Server,
    }

    /// <summary>Handshake message types, plus the ChangeCipherSpec and Alert records shown in a transcript.</summary>
    public enum TranscriptMessageType
    {
        Unknown,
        HelloRequest,
        ClientHello,
        ServerHello,
        HelloRetryRequest,
        NewSessionTicket,
        EndOfEarlyData,
        EncryptedExtensions,
        Certificate,
        ServerKeyExchange,
        CertificateRequest,
        ServerHelloDone,
        CertificateVerify,
        ClientKeyExchange,
        Finished,
        CertificateStatus,
        KeyUpdate,
        ChangeCipherSpec,
        Alert,
        /// <summary>A line or message of the plaintext STARTTLS preamble (before ClientHello); Fields Protocol and Text say what.</summary>
        StartTls,
    }

    /// <summary>One message of a handshake as it was sent (TLS 1.3 messages after decryption).</summary>
    public sealed class TranscriptMessage
    {
        internal TranscriptMessage(Sender sender, TranscriptMessageType type, int length, byte[] rawData)
        {
            Sender = sender;
            Type = type;
            Length = length;
            RawDataNoCopy = rawData;
        }

        public Sender Sender { get; }

        public TranscriptMessageType Type { get; }

        /// <summary>Body length in bytes (without the 4-byte handshake header); 1 for ChangeCipherSpec, 2 for an Alert.</summary>
        public int Length { get; }

        /// <summary>Milliseconds from the start of the TLS handshake (TCP connected) until this message was sent or processed.</summary>
        public double OffsetMilliseconds { get; internal set; }

        /// <summary>Decoded contents, in wire order. Values are strings, numbers, string arrays or nested <see cref="OrderedDictionary"/>.</summary>
        public OrderedDictionary Fields { get; } = new OrderedDictionary(StringComparer.Ordinal);

        /// <summary>One plain-words sentence of what this message did in this handshake.</summary>
        public string Explanation { get; internal set; } = "";

        /// <summary>Why the bytes could not be fully decoded, or null.</summary>
        public string? DecodeError { get; internal set; }

        /// <summary>The message as sent: handshake header and body, or the record body for ChangeCipherSpec and Alert.</summary>
        public byte[] RawData => (byte[])RawDataNoCopy.Clone();

        internal byte[] RawDataNoCopy { get; }

        /// <summary>Short label, e.g. "ClientHello" or "Alert (protocol_version)".</summary>
        public string Label
        {
            get
            {
                if (Type == TranscriptMessageType.Alert && Fields["Description"] is string d) return "Alert (" + d + ")";
                return Type.ToString();
            }
        }

        public override string ToString() => Sender + " " + Label + " (" + Length + " bytes)";
    }

    /// <summary>What to offer in a handshake and where to connect.</summary>
    public sealed class HandshakeOptions
    {
        public HandshakeOptions()
        {
        }

        public HandshakeOptions(TlsTarget target) => Target = target ?? throw new ArgumentNullException(nameof(target));

        /// <summary>Where to connect and the SNI to send. When null, <see cref="HostName"/>, <see cref="Port"/> and
        /// <see cref="ServerName"/> make it (<see cref="TlsTarget.Create"/>).</summary>
        public TlsTarget? Target { get; set; }

        /// <summary>Shorthand for <see cref="Target"/> (used only while Target is null): a DNS name or an IP literal, no port.</summary>
        public string HostName { get; set; } = "";

        /// <summary>Shorthand for <see cref="Target"/>, with <see cref="HostName"/>.</summary>
        public int Port { get; set; } = TlsTarget.DefaultPort;

        /// <summary>Shorthand for <see cref="Target"/>, with <see cref="HostName"/>: null sends the host name unless it is an IP
        /// literal (then no SNI); an empty string sends no SNI; a name sends that name.</summary>
        public string? ServerName { get; set; }

        /// <summary><see cref="Target"/>, or the target made from <see cref="HostName"/>, <see cref="Port"/> and <see cref="ServerName"/>.</summary>
        /// <exception cref="TlsToolsException">InvalidTarget, InvalidPort or InvalidServerName.</exception>
        public TlsTarget GetTarget() => Target ?? TlsTarget.Create(HostName, Port, ServerName);

        /// <summary>Versions to offer; null or empty means TLS 1.2 and 1.3.</summary>
        public IList<TlsVersion>? TlsVersions { get; set; }

        /// <summary>IANA cipher suite names to offer, exactly as given and in this order; null means TlsTools' defaults.</summary>
        public IList<string>? CipherSuites { get; set; }

        /// <summary>IANA named groups to offer (supported_groups, and the first as TLS 1.3 key share); null means defaults.</summary>
        public IList<string>? NamedGroups { get; set; }

        /// <summary>IANA signature schemes to offer; null means defaults.</summary>
        public IList<string>? SignatureAlgorithms { get; set; }

        /// <summary>ALPN protocol names to offer, e.g. "h2", "http/1.1".</summary>
        public IList<string>? Alpn { get; set; }

        /// <summary>Certificate (with private key) to send if the server asks for one.</summary>
        public Certificate? ClientCertificate { get; set; }

        /// <summary>Intermediates sent after <see cref="ClientCertificate"/>.</summary>
        public IList<Certificate>? ClientCertificateChain { get; set; }

        /// <summary>Overall time for name lookup, connect and handshake.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Time for the TCP connect alone; null means <see cref="Timeout"/>.</summary>
        public TimeSpan? ConnectTimeout { get; set; }

        /// <summary>Appends SSLKEYLOGFILE lines for this connection to this file.</summary>
        public string? KeyLogPath { get; set; }

        /// <summary>An earlier result whose TLS 1.2 session to resume (session id). TLS 1.3 sessions cannot be resumed.</summary>
        public HandshakeResult? ResumeSession { get; set; }

        /// <summary>
        /// After a TLS 1.3 handshake, the longest wait for the server's NewSessionTicket flight (not counted in
        /// HandshakeMilliseconds). The wait ends earlier as soon as what arrived shows the flight is over (see
        /// <see cref="HandshakeResult.TicketWaitReason"/>). Zero skips the wait. When the server asked for a client
        /// certificate, its verdict on it comes after the handshake in TLS 1.3, so the wait then lasts until the server
        /// sends something (at most what is left of <see cref="Timeout"/>).
        /// </summary>
        public TimeSpan SessionTicketWait { get; set; } = TimeSpan.FromMilliseconds(300);

        /// <summary>Keep reading after a flight looks over, until the socket stays quiet for <see cref="TicketFlight.CountSettle"/>
        /// (within <see cref="SessionTicketWait"/>): a server may send each NewSessionTicket in its own TCP segment, and a
        /// count (the scanner's Tls13SessionTickets) must see them all.</summary>
        internal bool CountAllTickets { get; set; }

        /// <summary>Record the transcript (on by default; a benchmark may turn it off).</summary>
        public bool CaptureTranscript { get; set; } = true;
    }

    /// <summary>What happened in one handshake. Failures are results with <see cref="Success"/> false, not exceptions.</summary>
    public sealed class HandshakeResult
    {
        internal HandshakeResult(TlsTarget target)
        {
            Target = target;
        }

        public bool Success { get; internal set; }

        /// <summary>The target as connected: once connected, bound to the address used.</summary>
        public TlsTarget Target { get; internal set; }

        public string HostName => Target.Host;
        public int Port => Target.Port;

        /// <summary>The address connected to; null when no connection was made.</summary>
        public string? IPAddress { get; internal set; }

        /// <summary>The SNI sent; null when none was sent.</summary>
        public string? ServerName => Target.ServerName;

        /// <summary>The protocol spoken before TLS (STARTTLS), or None.</summary>
        public TlsTools.Net.StartTlsProtocol StartTls => Target.StartTls;
        public TlsVersion? TlsVersion { get; internal set; }
        public string? CipherSuite { get; internal set; }

        /// <summary>Key exchange of the suite: ECDHE, DHE, RSA, or "(EC)DHE" for TLS 1.3.</summary>
        public string? KeyExchange { get; internal set; }
        public string? NamedGroup { get; internal set; }

        /// <summary>Scheme the server signed with (ServerKeyExchange or CertificateVerify); null with RSA key exchange or resumption.</summary>
        public string? SignatureAlgorithm { get; internal set; }
        public string? Alpn { get; internal set; }

        /// <summary>The server's certificates as sent, leaf first. Not validated here.</summary>
        public Certificate[] Certificates { get; internal set; } = Array.Empty<Certificate>();

        public bool Resumed { get; internal set; }

        /// <summary>Session id (hex) of a TLS 1.2 session that a later handshake can resume, or null.</summary>
        public string? SessionId { get; internal set; }

        /// <summary>True when the server asked for a client certificate.</summary>
        public bool ClientCertificateRequested { get; internal set; }
        public bool ClientCertificateSent { get; internal set; }

        /// <summary>The CA names of the server's CertificateRequest (empty when it named none or sent none).</summary>
        internal string[] RequestedCertificateAuthorities { get; set; } = Array.Empty<string>();

        /// <summary>The signature schemes of the server's CertificateRequest.</summary>
        internal string[] RequestedSignatureAlgorithms { get; set; } = Array.Empty<string>();

        public double ConnectMilliseconds { get; internal set; }
        public double HandshakeMilliseconds { get; internal set; }

        /// <summary>Milliseconds of the STARTTLS preamble (after the connect, before the ClientHello); 0 without one.</summary>
        public double StartTlsMilliseconds { get; internal set; }

        /// <summary>NewSessionTicket messages the server sent after a TLS 1.3 handshake, while the client waited for them.</summary>
        public int NewSessionTickets { get; internal set; }

        /// <summary>How long the client waited for the TLS 1.3 ticket flight after the handshake (0 when it did not wait).</summary>
        public double TicketWaitMilliseconds { get; internal set; }

        /// <summary>Why the wait for the ticket flight ended.</summary>
        public TicketWaitReason TicketWaitReason { get; internal set; }

        public string? Error { get; internal set; }
        public ErrorKind? ErrorKind { get; internal set; }
        public string? ErrorId { get; internal set; }

        /// <summary>Name of the TLS alert (e.g. "protocol_version") that ended a failed handshake.</summary>
        public string? Alert { get; internal set; }

        /// <summary>"Received" or "Sent" for <see cref="Alert"/>.</summary>
        public string? AlertDirection { get; internal set; }

        /// <summary>The handshake's messages in order, decoded. The client decodes them on the first read of this property
        /// (once, also when several threads read it at once), not during the handshake: a caller that never looks at the
        /// transcript does not pay for it.</summary>
        public TranscriptMessage[] Transcript
        {
            get
            {
                var transcript = System.Threading.Volatile.Read(ref _transcript);
                if (transcript != null) return transcript;
                lock (_transcriptLock)
                {
                    if (_transcript == null)
                    {
                        System.Threading.Volatile.Write(ref _transcript, _decodeTranscript!());
                        _decodeTranscript = null;
                    }
                    return _transcript!;
                }
            }
            internal set
            {
                lock (_transcriptLock)
                {
                    _decodeTranscript = null;
                    System.Threading.Volatile.Write(ref _transcript, value ?? throw new ArgumentNullException(nameof(value)));
                }
            }
        }

        private readonly object _transcriptLock = new object();
        private TranscriptMessage[]? _transcript = Array.Empty<TranscriptMessage>();
        private Func<TranscriptMessage[]>? _decodeTranscript;

        /// <summary>Sets <see cref="Transcript"/> to what <paramref name="decode"/> returns, called on its first read.</summary>
        internal void SetTranscript(Func<TranscriptMessage[]> decode)
        {
            lock (_transcriptLock)
            {
                _decodeTranscript = decode ?? throw new ArgumentNullException(nameof(decode));
                System.Threading.Volatile.Write(ref _transcript, null);
            }
        }

        /// <summary>True until <see cref="Transcript"/> has been decoded (tests).</summary>
        internal bool TranscriptPending => System.Threading.Volatile.Read(ref _transcript) == null;

        /// <summary>The chain validation of <see cref="Certificates"/>, when <see cref="HandshakeValidation.Validate"/> ran; null otherwise.</summary>
        public TlsTools.Validation.ChainValidationResult? Validation { get; internal set; }

        /// <summary>Whole days until the leaf certificate expires (negative once expired), or null without a certificate.</summary>
        /// <summary>
        /// The OCSP response the server stapled, judged against the leaf and its issuer (Method Staple: Good, Revoked, Unknown,
        /// or Unavailable with the reason it cannot be trusted); null when the server stapled none.
        /// </summary>
        public TlsTools.Revocation.RevocationInfo? OcspStaple { get; internal set; }

        /// <summary>The stapled OCSP response as parsed (null when none was stapled or it could not be parsed).</summary>
        public TlsTools.Revocation.OcspResponse? StapledOcspResponse { get; internal set; }

        /// <summary>The Certificate Transparency SCTs the server sent in the TLS signed_certificate_timestamp extension (not verified).</summary>
        public TlsTools.Revocation.SignedCertificateTimestamp[] SignedCertificateTimestamps { get; internal set; } = Array.Empty<TlsTools.Revocation.SignedCertificateTimestamp>();

        internal byte[]? StapledOcspRaw { get; set; }
        internal string? StapledOcspError { get; set; }

        public int? DaysUntilExpiry => Certificates.Length > 0 ? Certificates[0].DaysUntilExpiry : (int?)null;

        internal Org.BouncyCastle.Tls.TlsSession? Session { get; set; }

        /// <summary>The failure as the core exception, for callers that want to throw it.</summary>
        public TlsToolsException? ToException() =>
            Success ? null : new TlsToolsException(ErrorId ?? ErrorIds.HandshakeFailed, ErrorKind ?? TlsTools.ErrorKind.ProtocolError, Error ?? "The handshake failed.", target: Target.ToString());

        public override string ToString() => Success
            ? Target + " " + TlsVersion + " " + CipherSuite
            : Target + " failed: " + Error;
    }
}
