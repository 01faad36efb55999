using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PkiCertificate = TlsTools.Pki.Certificate;

namespace TlsTools.Tls
{
    /// <summary>Builds BouncyCastle credentials from TlsTools certificates and keys.</summary>
    internal static class Credentials
    {
        internal static readonly SecureRandom Random = new SecureRandom();

        /// <summary>Signature schemes a key can sign with, most preferred first.</summary>
        internal static int[] SchemesFor(PkiCertificate leaf, bool tls13)
        {
            var key = leaf.PrivateKey?.Private ?? throw new InvalidOperationException("The certificate has no private key.");
            switch (key)
            {
                case RsaKeyParameters _:
                    return tls13
                        ? new[] { SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512 }
                        : new[] { SignatureScheme.rsa_pkcs1_sha256, SignatureScheme.rsa_pkcs1_sha384, SignatureScheme.rsa_pkcs1_sha512,
                                  SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512, SignatureScheme.rsa_pkcs1_sha1 };
                case ECPrivateKeyParameters ec:
                {
                    int bits = ec.Parameters.Curve.FieldSize;
                    int native = bits > 384 ? SignatureScheme.ecdsa_secp521r1_sha512 : bits > 256 ? SignatureScheme.ecdsa_secp384r1_sha384 : SignatureScheme.ecdsa_secp256r1_sha256;
                    if (tls13) return new[] { native };
                    return new[] { native, SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.ecdsa_secp521r1_sha512, SignatureScheme.ecdsa_sha1 }
                        .Distinct().ToArray();
                }
                case Ed25519PrivateKeyParameters _: return new[] { SignatureScheme.ed25519 };
                case Ed448PrivateKeyParameters _: return new[] { SignatureScheme.ed448 };
                default: return Array.Empty<int>();
            }
        }

        internal static bool IsRsa(PkiCertificate c) => c.PrivateKey?.Private is RsaKeyParameters;

        /// <summary>The chain as a BouncyCastle Certificate message body for the negotiated version.</summary>
        internal static Certificate Chain(TlsCrypto crypto, IEnumerable<PkiCertificate> chain, bool tls13, byte[]? requestContext)
        {
            var certs = chain.Select(c => crypto.CreateCertificate(c.DerNoCopy)).ToArray();
            if (!tls13) return new Certificate(certs);
            return new Certificate(requestContext ?? TlsUtilities.EmptyBytes, certs.Select(c => new CertificateEntry(c, null)).ToArray());
        }

        /// <summary>A signer for the first scheme the key supports that the peer offered (or the first the key supports if the peer said nothing); null if none fits.</summary>
        internal static TlsCredentialedSigner? Signer(TlsContext context, BcTlsCrypto crypto, PkiCertificate leaf, IList<PkiCertificate>? intermediates,
            IList<SignatureAndHashAlgorithm>? peerAlgorithms, byte[]? requestContext)
        {
            bool tls13 = TlsUtilities.IsTlsV13(context);
            var candidates = SchemesFor(leaf, tls13);
            int? chosen = null;
            if (peerAlgorithms == null || peerAlgorithms.Count == 0)
                chosen = candidates.Length > 0 ? candidates[0] : (int?)null;
            else
                foreach (var c in candidates)
                    if (peerAlgorithms.Any(a => SignatureScheme.From(a) == c)) { chosen = c; break; }
            if (chosen == null) return null;
            var sigAlg = TlsUtilities.IsSignatureAlgorithmsExtensionAllowed(context.ServerVersion)
                ? SignatureScheme.GetSignatureAndHashAlgorithm(chosen.Value)
                : null;
            var chain = new List<PkiCertificate> { leaf };
            if (intermediates != null) chain.AddRange(intermediates);
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, leaf.PrivateKey!.Private,
                Chain(crypto, chain, tls13, requestContext), sigAlg);
        }
    }

    /// <summary>Words for a fatal alert this side raised.</summary>
    internal static class AlertText
    {
        /// <summary>
        /// BouncyCastle's message is often generic ("Failed to read record"); the innermost cause says what was wrong
        /// (e.g. "Handshake message length exceeds the maximum: 16777215", or why a client certificate was refused).
        /// </summary>
        public static string? Raised(string? message, Exception? cause)
        {
            var detail = cause;
            while (detail?.InnerException != null) detail = detail.InnerException;
            if (message == null) return detail?.Message;
            return detail != null && !string.IsNullOrEmpty(detail.Message) && detail.Message != message ? message + ": " + detail.Message : message;
        }
    }

    /// <summary>BouncyCastle crypto that also writes SSLKEYLOGFILE lines (the NSS key log format) for one connection.</summary>
    internal sealed class KeyLogCrypto : ClientCrypto
    {
        private int _cipherCalls;

        public KeyLogCrypto() : base(Credentials.Random)
        {
        }

        public List<string> Lines { get; } = new List<string>();

        public override TlsCipher CreateCipher(TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm)
        {
            try
            {
                var sp = cryptoParams.SecurityParameters;
                string random = TranscriptDecoder.Hex(sp.ClientRandom);
                if (TlsUtilities.IsTlsV13(cryptoParams.ServerVersion))
                {
                    _cipherCalls++;
                    string prefix = _cipherCalls == 1 ? "_HANDSHAKE_TRAFFIC_SECRET " : "_TRAFFIC_SECRET_0 ";
                    if (_cipherCalls <= 2)
                    {
                        Add("CLIENT" + prefix, random, sp.TrafficSecretClient);
                        Add("SERVER" + prefix, random, sp.TrafficSecretServer);
                    }
                }
                else
                {
                    Add("CLIENT_RANDOM ", random, sp.MasterSecret);
                }
            }
            catch (Exception)
            {
                // The key log is a debugging aid; never let it break the handshake.
            }
            return base.CreateCipher(cryptoParams, encryptionAlgorithm, macAlgorithm);
        }

        /// <summary>Called when the handshake completes, before BouncyCastle clears the secrets.</summary>
        public void AddExporter(SecurityParameters sp)
        {
            try
            {
                if (TlsUtilities.IsTlsV13(sp.NegotiatedVersion))
                    Add("EXPORTER_SECRET ", TranscriptDecoder.Hex(sp.ClientRandom), sp.ExporterMasterSecret);
            }
            catch (Exception)
            {
            }
        }

        private void Add(string label, string random, TlsSecret? secret)
        {
            if (secret == null) return;
            Lines.Add(label + random + " " + TranscriptDecoder.Hex(AdoptSecret(secret).Extract()));
        }

        private static readonly object FileLock = new object();

        public static void Append(string path, IEnumerable<string> lines)
        {
            var text = string.Concat(lines.Select(l => l + "\n"));
            if (text.Length == 0) return;
            lock (FileLock)
            {
                using var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                var bytes = Encoding.ASCII.GetBytes(text);
                fs.Write(bytes, 0, bytes.Length);
            }
        }
    }

    /// <summary>Collects handshake messages in both directions, in the order the protocol handled them.</summary>
    internal sealed class TranscriptRecorder
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Sender _local;
        private readonly MemoryStream _outgoing = new MemoryStream();

        public TranscriptRecorder(Sender local)
        {
            _local = local;
        }

        public bool Enabled { get; set; } = true;

        /// <summary>After the handshake: keep only handshake messages (tickets, key updates) and fatal alerts.</summary>
        public bool PostHandshake { get; set; }

        public List<(Sender Sender, byte ContentType, byte[] Data, double Ms)> Items { get; } = new List<(Sender, byte, byte[], double)>();

        public double ElapsedMs => _clock.Elapsed.TotalMilliseconds;

        public void Restart() => _clock.Restart();

        public void Incoming(short contentType, byte[] data)
        {
            if (!Enabled) return;
            if (PostHandshake && !(contentType == ContentType.handshake || (contentType == ContentType.alert && data.Length == 2 && data[0] == AlertLevel.fatal))) return;
            Items.Add((Remote, (byte)contentType, data, ElapsedMs));
        }

        private Sender Remote => _local == Sender.Client ? Sender.Server : Sender.Client;

        public void Outgoing(short contentType, byte[] buf, int off, int len)
        {
            if (!Enabled || PostHandshake) return;
            switch (contentType)
            {
                case ContentType.change_cipher_spec:
                case ContentType.alert:
                {
                    var copy = new byte[len];
                    Buffer.BlockCopy(buf, off, copy, 0, len);
                    Items.Add((_local, (byte)contentType, copy, ElapsedMs));
                    break;
                }
                case ContentType.handshake:
                {
                    _outgoing.Write(buf, off, len);
                    // Reassemble whole messages from their 4-byte headers (a message may span records).
                    var all = _outgoing.ToArray();
                    int pos = 0;
                    while (all.Length - pos >= 4)
                    {
                        int bodyLen = (all[pos + 1] << 16) | (all[pos + 2] << 8) | all[pos + 3];
                        if (all.Length - pos < 4 + bodyLen) break;
                        var msg = new byte[4 + bodyLen];
                        Buffer.BlockCopy(all, pos, msg, 0, msg.Length);
                        Items.Add((_local, (byte)ContentType.handshake, msg, ElapsedMs));
                        pos += msg.Length;
                    }
                    if (pos > 0)
                    {
                        _outgoing.SetLength(0);
                        _outgoing.Write(all, pos, all.Length - pos);
                    }
                    break;
                }
            }
        }

        /// <summary>
        /// What a whole decode (<see cref="Decode"/>) would leave in its context for the result's own fields (version,
        /// suite, group, the server's signature scheme, ALPN, CertificateRequested, ClientCertificateSent), found by
        /// decoding only the messages that set those fields or what they are read with (ServerHello/HelloRetryRequest,
        /// EncryptedExtensions, ServerKeyExchange, CertificateRequest, CertificateVerify, the client's Certificate), in the
        /// same order with the same decoders. The others (ClientHello, the server's certificates, Finished, tickets, records)
        /// touch none of them and are left for the transcript, decoded when it is read.
        /// </summary>
        public DecodeContext Facts()
        {
            var context = new DecodeContext();
            foreach (var (s, ct, data, _) in Items)
                if (ct == ContentType.handshake && CarriesFacts(s, data))
                    TranscriptDecoder.DecodeRecordMessage(s, ct, data, context);
            return context;
        }

        private static bool CarriesFacts(Sender sender, byte[] message)
        {
            if (message.Length == 0) return false;
            switch ((short)message[0])
            {
                case HandshakeType.server_hello:
                case HandshakeType.encrypted_extensions:
                case HandshakeType.server_key_exchange:
                case HandshakeType.certificate_request:
                case HandshakeType.certificate_verify:
                    return true;
                case HandshakeType.certificate:
                    return sender == Sender.Client;
                default:
                    return false;
            }
        }

        public TranscriptMessage[] Decode(out DecodeContext context)
        {
            context = new DecodeContext();
            var list = new List<TranscriptMessage>();
            foreach (var (s, ct, data, ms) in Items)
            {
                var m = TranscriptDecoder.DecodeRecordMessage(s, ct, data, context);
                m.OffsetMilliseconds = Math.Round(ms, 3);
                list.Add(m);
            }
            return list.ToArray();
        }
    }
}
