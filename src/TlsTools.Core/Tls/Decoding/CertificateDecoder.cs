using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TlsTools.Tls
{
    /// <summary>Certificate, CertificateRequest, CertificateVerify and CertificateStatus.</summary>
    internal static class CertificateDecoder
    {
        public static void Certificate(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            bool tls13 = ctx.Version == TlsVersion.Tls13;
            if (ctx.Version == null)
            {
                // Guess the layout: TLS 1.2 starts with a 3-byte list length covering the rest.
                int len12 = r.Remaining >= 3 ? r.PeekU24() : -1;
                tls13 = len12 != r.Remaining - 3;
            }
            var subjects = new List<string>();
            var issuers = new List<string>();
            string? stapled = null;
            if (tls13)
            {
                m.Fields["RequestContext"] = DecodeText.Hex(r.VectorBytes(1));
                var list = r.Vector24("certificate list");
                while (!list.AtEnd)
                {
                    var der = list.VectorBytes(3);
                    var exts = list.VectorBytes(2);
                    AddCert(der, subjects, issuers);
                    if (exts.Length > 0)
                    {
                        var decoded = new OrderedDictionary(StringComparer.Ordinal);
                        ExtensionDecoder.Decode(decoded, exts, m.Sender, TranscriptMessageType.Certificate, new HelloInfo());
                        m.Fields["EntryExtensions" + subjects.Count] = decoded;
                        if (subjects.Count == 1 && decoded[TlsRegistry.Extensions.Name(ExtensionCodes.StatusRequest)] is OrderedDictionary ocsp)
                            stapled = StatusDecoder.Summary(ocsp);
                    }
                }
            }
            else
            {
                var list = r.Vector24("certificate list");
                while (!list.AtEnd) AddCert(list.VectorBytes(3), subjects, issuers);
            }
            r.End();
            m.Fields["CertificateCount"] = subjects.Count;
            m.Fields["Subjects"] = subjects.ToArray();
            m.Fields["Issuers"] = issuers.ToArray();

            if (m.Sender == Sender.Server)
            {
                ctx.ServerCertificateKey = ctx.LastCertificateKey;
                if (subjects.Count == 0)
                {
                    m.Explanation = "Certificate: the server sent an empty certificate list.";
                    return;
                }
                var sb = new StringBuilder("Certificate: the server sent its chain of ").Append(subjects.Count).Append(subjects.Count == 1 ? " certificate" : " certificates")
                    .Append(", leaf '").Append(subjects[0]).Append("' issued by '").Append(issuers[0]).Append("'; ");
                if (ctx.Version == TlsVersion.Tls13)
                    sb.Append("the Certificate Verify that follows proves the server holds the leaf's private key (the chain itself is checked separately).");
                else if (ctx.Suite?.KeyExchange == "RSA")
                    sb.Append("the client will encrypt the premaster secret to this certificate's RSA public key (the chain itself is checked separately).");
                else
                    sb.Append("the server will sign its key exchange with the leaf's private key (the chain itself is checked separately).");
                if (stapled != null) sb.Append(" With the leaf it stapled ").Append(stapled).Append('.');
                m.Explanation = sb.ToString();
            }
            else
            {
                ctx.ClientCertificateSent = subjects.Count > 0;
                m.Explanation = subjects.Count == 0
                    ? "Certificate: the server asked for a client certificate and the client sent none (an empty list)."
                    : "Certificate: the client sent its certificate '" + subjects[0] + "' (issued by '" + issuers[0] + "') as the server asked.";
            }
        }

        private static void AddCert(byte[] der, List<string> subjects, List<string> issuers)
        {
            try
            {
                var cert = new Org.BouncyCastle.X509.X509Certificate(Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(der));
                subjects.Add(cert.SubjectDN.ToString());
                issuers.Add(cert.IssuerDN.ToString());
            }
            catch (Exception)
            {
                subjects.Add("(unreadable certificate, " + der.Length + " bytes)");
                issuers.Add("?");
            }
        }

        public static void CertificateRequest(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            ctx.CertificateRequested = true;
            bool tls13 = ctx.Version == TlsVersion.Tls13 || (ctx.Version == null && r.Remaining >= 1 && r.PeekU8() == 0);
            string[] schemes = Array.Empty<string>();
            if (tls13)
            {
                m.Fields["RequestContext"] = DecodeText.Hex(r.VectorBytes(1));
                var ext = new OrderedDictionary(StringComparer.Ordinal);
                var info = new HelloInfo();
                ExtensionDecoder.Decode(ext, r.VectorBytes(2), Sender.Server, TranscriptMessageType.CertificateRequest, info);
                m.Fields["Extensions"] = ext;
                schemes = info.SignatureSchemes.ToArray();
            }
            else
            {
                var types = r.VectorBytes(1);
                m.Fields["CertificateTypes"] = types.Select(ClientCertTypeName).ToArray();
                if (ctx.Version == null || ctx.Version >= TlsVersion.Tls12)
                {
                    schemes = DecodeText.SchemeList(r.VectorBytes(2));
                    m.Fields["SignatureAlgorithms"] = schemes;
                }
                m.Fields["CertificateAuthorities"] = DecodeText.DistinguishedNames(r.Vector16("certificate authorities")).ToArray();
            }
            r.End();
            m.Explanation = "Certificate Request: the server asks the client to authenticate with a certificate"
                + (schemes.Length > 0 ? " and a signature by one of " + DecodeText.Abbrev(schemes, 4) : "") + ".";
        }

        public static void CertificateVerify(TranscriptMessage m, WireReader r, DecodeContext ctx)
        {
            // TLS 1.2+ put a 2-byte signature scheme before the 2-byte-length signature; TLS 1.0/1.1 do not.
            bool hasScheme = ctx.Version == null ? r.Remaining >= 4 && r.PeekU16(2) == r.Remaining - 4 : ctx.Version >= TlsVersion.Tls12;
            string? scheme = null;
            if (hasScheme)
            {
                scheme = TlsRegistry.SignatureSchemes.Name(r.U16());
                m.Fields["SignatureScheme"] = scheme;
            }
            m.Fields["SignatureLength"] = r.VectorBytes(2).Length;
            r.End();
            if (m.Sender == Sender.Server) ctx.ServerSignatureScheme = scheme ?? ctx.ServerSignatureScheme;
            string who = DecodeText.Name(m.Sender), whose = m.Sender == Sender.Server ? "server's" : "client's", other = DecodeText.Name(DecodeText.Other(m.Sender));
            m.Explanation = "Certificate Verify: the " + who + " signed the handshake so far with its private key" + (scheme != null ? " (" + scheme + ")" : "")
                + "; the " + other + " verifies the signature with the public key in the " + whose + " certificate, which proves the " + who + " holds that key.";
        }

        public static void CertificateStatus(TranscriptMessage m, WireReader r)
        {
            int st = r.U8();
            var resp = r.VectorBytes(3);
            r.End();
            m.Fields["StatusType"] = st == 1 ? "ocsp" : st.ToString(CultureInfo.InvariantCulture);
            if (st != 1)
            {
                m.Fields["ResponseLength"] = resp.Length;
                m.Explanation = "Certificate Status: the server sent a " + resp.Length + "-byte status of an unknown type.";
                return;
            }
            var ocsp = StatusDecoder.Ocsp(resp);
            foreach (System.Collections.DictionaryEntry e in ocsp) m.Fields[(string)e.Key] = e.Value;
            m.Explanation = "Certificate Status: the server stapled " + StatusDecoder.Summary(ocsp) + " (" + resp.Length
                + " bytes), so the client need not ask the CA's OCSP responder itself; the response is checked against the leaf and its issuer.";
        }

        private static string ClientCertTypeName(byte b) => b switch
        {
            1 => "rsa_sign",
            2 => "dss_sign",
            3 => "rsa_fixed_dh",
            4 => "dss_fixed_dh",
            64 => "ecdsa_sign",
            65 => "rsa_fixed_ecdh",
            66 => "ecdsa_fixed_ecdh",
            _ => b.ToString(CultureInfo.InvariantCulture),
        };
    }
}
