using System;
using System.Collections.Generic;
using System.IO;
using TlsTools.Tls;

namespace TlsTools.Scanning.Wire
{
    /// <summary>How a probe ended.</summary>
    internal enum ProbeOutcome
    {
        /// <summary>A ServerHello was read (and, when asked, the flight up to ServerHelloDone).</summary>
        ServerHello,
        HelloRetryRequest,
        Alert,
        /// <summary>The server answered in SSL 2.0 format.</summary>
        Ssl2Reply,
        /// <summary>The server closed (or reset) the connection without a usable answer.</summary>
        Closed,
        Timeout,
        ConnectFailed,
        Malformed,
    }

    /// <summary>
    /// Incremental parser for the server's first flight: records (fragmented or coalesced), handshake messages split across
    /// records, alerts, SSL 2.0 replies. Feed it bytes until <see cref="Done"/>; it never throws anything but
    /// <see cref="TlsToolsException"/>, and it stops at <see cref="MaxBytes"/>.
    /// </summary>
    internal sealed class ServerFlightParser
    {
        public const int DefaultMaxBytes = 64 * 1024;

        private readonly bool _wantFlight;
        private readonly MemoryStream _records = new MemoryStream();
        private int _recordPos;
        private readonly MemoryStream _handshake = new MemoryStream();
        private int _handshakePos;
        private readonly List<byte> _alert = new List<byte>();
        private long _total;

        /// <param name="wantFlight">Keep reading after a TLS ≤1.2 ServerHello up to ServerHelloDone (Certificate, ServerKeyExchange).</param>
        /// <param name="maxBytes">Bound on bytes accepted from the server.</param>
        public ServerFlightParser(bool wantFlight, int maxBytes = DefaultMaxBytes)
        {
            _wantFlight = wantFlight;
            MaxBytes = maxBytes;
        }

        public int MaxBytes { get; }
        public bool Done { get; private set; }
        public ProbeOutcome Outcome { get; private set; } = ProbeOutcome.Closed;

        /// <summary>How a reply that is not TLS at all is described (the report's Errors; <see cref="NotTlsCheck"/> looks for it).</summary>
        internal const string NotTlsRecord = "not a TLS record";
        public string? Error { get; private set; }
        public ServerHelloInfo? Hello { get; private set; }
        public int? AlertLevel { get; private set; }
        public int? AlertDescription { get; private set; }
        public List<byte[]> Certificates { get; } = new List<byte[]>();
        public byte[]? ServerKeyExchange { get; private set; }
        public bool CertificateStatus { get; private set; }
        /// <summary>The CertificateStatus message's body (status_type, then the OCSP response), when one came.</summary>
        public byte[]? CertificateStatusBody { get; private set; }
        public bool CertificateRequest { get; private set; }
        /// <summary>The CertificateRequest message's body, when one came (TLS ≤ 1.2: before ServerHelloDone, in plaintext).</summary>
        public byte[]? CertificateRequestBody { get; private set; }
        public bool ServerHelloDone { get; private set; }
        public long BytesRead => _total;

        /// <summary>Consumes bytes from the server. Returns <see cref="Done"/>.</summary>
        public bool Feed(byte[] data, int offset, int count)
        {
            if (Done || count <= 0) return Done;
            try
            {
                _total += count;
                _records.Write(data, offset, count);
                if (_total > MaxBytes)
                {
                    ParseRecords();
                    if (!Done) Fail("the server sent more than " + MaxBytes + " bytes without completing its first flight");
                    return true;
                }
                ParseRecords();
            }
            catch (TlsToolsException e)
            {
                Fail(e.Message);
            }
            catch (Exception e) when (e is ArgumentException || e is IndexOutOfRangeException || e is OverflowException || e is InvalidOperationException)
            {
                Fail("unparseable server data (" + e.GetType().Name + ")");
            }
            return Done;
        }

        /// <summary>The server closed the connection: settle the outcome from what was read.</summary>
        public void EndOfStream()
        {
            if (Done) return;
            Done = true;
            if (Hello != null) Outcome = Hello.IsHelloRetryRequest ? ProbeOutcome.HelloRetryRequest : ProbeOutcome.ServerHello;
            else if (Outcome != ProbeOutcome.Malformed) Outcome = ProbeOutcome.Closed;
        }

        private void Fail(string message)
        {
            Done = true;
            Error = message;
            // A ServerHello already parsed stays useful (e.g. the certificate was cut off by the byte bound).
            Outcome = Hello != null ? (Hello.IsHelloRetryRequest ? ProbeOutcome.HelloRetryRequest : ProbeOutcome.ServerHello) : ProbeOutcome.Malformed;
        }

        private void Finish(ProbeOutcome outcome)
        {
            Done = true;
            Outcome = outcome;
        }

        private void ParseRecords()
        {
            var buf = _records.GetBuffer();
            int len = (int)_records.Length;
            while (!Done)
            {
                int avail = len - _recordPos;
                if (avail < 1) return;
                int type = buf[_recordPos];
                if (_recordPos == 0 && (type & 0x80) != 0)
                {
                    // SSL 2.0 record: 2-byte header, then message type 4 = SERVER-HELLO.
                    if (avail < 3) return;
                    if (buf[2] == 4) Finish(ProbeOutcome.Ssl2Reply);
                    else if (buf[2] == 0) Finish(ProbeOutcome.Alert); // SSL 2.0 ERROR message
                    else Fail("unexpected SSL 2.0 message type " + buf[2]);
                    return;
                }
                if (type < 20 || type > 24)
                {
                    Fail(NotTlsRecord + " (content type " + type + ")" + (LooksLikeText(buf, _recordPos, avail) ? "; the server answered in plain text" : ""));
                    return;
                }
                if (avail < 5) return;
                int major = buf[_recordPos + 1];
                int recLen = (buf[_recordPos + 3] << 8) | buf[_recordPos + 4];
                if (major != 3 || recLen > 16384 + 2048)
                {
                    Fail("bad record header (version " + major + "." + buf[_recordPos + 2] + ", length " + recLen + ")");
                    return;
                }
                if (avail < 5 + recLen) return;
                int payload = _recordPos + 5;
                _recordPos += 5 + recLen;
                switch (type)
                {
                    case 21:
                        for (int i = 0; i < recLen; i++) _alert.Add(buf[payload + i]);
                        if (_alert.Count >= 2)
                        {
                            AlertLevel = _alert[0];
                            AlertDescription = _alert[1];
                            if (Hello != null) Finish(Hello.IsHelloRetryRequest ? ProbeOutcome.HelloRetryRequest : ProbeOutcome.ServerHello);
                            else Finish(ProbeOutcome.Alert);
                        }
                        break;
                    case 22:
                        if (recLen == 0) { Fail("empty handshake record"); return; }
                        _handshake.Write(buf, payload, recLen);
                        ParseHandshake();
                        break;
                    case 20:
                        // TLS 1.3 middlebox-compatibility CCS, or a resumed TLS 1.2 session: nothing more to learn in plaintext.
                        if (Hello != null && Hello.Version < 0x0304) Finish(ProbeOutcome.ServerHello);
                        break;
                    case 23:
                        if (Hello != null) Finish(Hello.IsHelloRetryRequest ? ProbeOutcome.HelloRetryRequest : ProbeOutcome.ServerHello);
                        else Fail("application data before ServerHello");
                        return;
                    default:
                        break; // heartbeat: ignore
                }
            }
        }

        private void ParseHandshake()
        {
            var hs = _handshake.GetBuffer();
            int len = (int)_handshake.Length;
            while (!Done && len - _handshakePos >= 4)
            {
                int type = hs[_handshakePos];
                int msgLen = (hs[_handshakePos + 1] << 16) | (hs[_handshakePos + 2] << 8) | hs[_handshakePos + 3];
                if (msgLen > MaxBytes) { Fail("handshake message of " + msgLen + " bytes exceeds the bound"); return; }
                if (len - _handshakePos - 4 < msgLen) return;
                int body = _handshakePos + 4;
                _handshakePos += 4 + msgLen;
                OnMessage(type, hs, body, msgLen);
            }
        }

        private void OnMessage(int type, byte[] buf, int offset, int length)
        {
            if (Hello == null && type != 2)
            {
                if (type == 0) return; // HelloRequest
                Fail("handshake message type " + type + " before ServerHello");
                return;
            }
            switch (type)
            {
                case 2:
                    if (Hello != null) { Fail("second ServerHello"); return; }
                    Hello = ParseServerHello(new WireReader(buf, offset, length, "ServerHello"));
                    if (Hello.IsHelloRetryRequest) Finish(ProbeOutcome.HelloRetryRequest);
                    else if (Hello.Version >= 0x0304 || !_wantFlight) Finish(ProbeOutcome.ServerHello);
                    break;
                case 11:
                    ParseCertificates(new WireReader(buf, offset, length, "Certificate"));
                    break;
                case 12:
                    ServerKeyExchange = new WireReader(buf, offset, length, "ServerKeyExchange").Bytes(length);
                    break;
                case 13:
                    CertificateRequest = true;
                    CertificateRequestBody = new WireReader(buf, offset, length, "CertificateRequest").Bytes(length);
                    break;
                case 22:
                    CertificateStatus = true;
                    CertificateStatusBody = new WireReader(buf, offset, length, "CertificateStatus").Bytes(length);
                    break;
                case 14:
                    ServerHelloDone = true;
                    Finish(ProbeOutcome.ServerHello);
                    break;
                default:
                    break;
            }
        }

        internal static ServerHelloInfo ParseServerHello(WireReader r)
        {
            var h = ServerMessages.ParseServerHello(r);
            if (h.Problem != null) throw WireReader.Malformed("ServerHello", h.Problem);
            return h;
        }

        private void ParseCertificates(WireReader r)
        {
            if (Hello != null && Hello.Version >= 0x0304) return; // encrypted in TLS 1.3; never reached in plaintext
            var list = r.Vector24("Certificate list");
            while (!list.AtEnd)
            {
                var cert = list.Vector24("certificate");
                Certificates.Add(cert.Bytes(cert.Remaining));
            }
        }

        /// <summary>Parses a ServerKeyExchange for (EC)DHE: the named curve or DH prime size and the TLS 1.2 signature scheme.</summary>
        internal static ServerKeyExchangeInfo ParseServerKeyExchange(byte[] ske, CipherSuiteInfo suite, int version)
        {
            bool psk = suite.KeyExchange.EndsWith("PSK", StringComparison.Ordinal);
            bool ecdhe = suite.KeyExchange == "ECDHE" || suite.KeyExchange == "ECDHE_PSK";
            if (!ecdhe && suite.KeyExchange != "DHE" && suite.KeyExchange != "DHE_PSK") return new ServerKeyExchangeInfo();
            return ServerMessages.ParseServerKeyExchange(new WireReader(ske, "ServerKeyExchange"), ecdhe, psk,
                signed: !psk && suite.Authentication != "anon", hasScheme: version >= 0x0303);
        }

        private static bool LooksLikeText(byte[] b, int off, int n)
        {
            int m = Math.Min(n, 4);
            for (int i = 0; i < m; i++) if (b[off + i] < 0x20 || b[off + i] > 0x7E) return false;
            return m > 0;
        }
    }
}
