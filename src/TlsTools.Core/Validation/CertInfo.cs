using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using TlsTools.Pki;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Validation
{
    internal enum PublicKeyKind { Other, Rsa, Ec, Ed25519, Ed448, Dsa }

    /// <summary>
    /// Everything the validator reads from one certificate, parsed once and cached per <see cref="Certificate"/>
    /// (certificates are immutable). Parsing problems are collected in <see cref="Problems"/>, never thrown.
    /// </summary>
    internal sealed class CertInfo
    {
        private static readonly ConditionalWeakTable<Certificate, CertInfo> Cache = new ConditionalWeakTable<Certificate, CertInfo>();

        public static CertInfo Of(Certificate certificate) => Cache.GetValue(certificate, c => new CertInfo(c));

        // Extensions this validator processes (a critical one of any other kind fails the certificate).
        internal static readonly HashSet<string> Recognized = new HashSet<string>
        {
            "2.5.29.14", // subjectKeyIdentifier
            "2.5.29.15", // keyUsage
            "2.5.29.17", // subjectAltName
            "2.5.29.18", // issuerAltName
            "2.5.29.19", // basicConstraints
            "2.5.29.30", // nameConstraints
            "2.5.29.31", // cRLDistributionPoints
            "2.5.29.32", // certificatePolicies (any policy acceptable)
            "2.5.29.33", // policyMappings (no policy set is requested, so mappings cannot change the outcome)
            "2.5.29.35", // authorityKeyIdentifier
            "2.5.29.36", // policyConstraints (requireExplicitPolicy checked)
            "2.5.29.37", // extKeyUsage
            "2.5.29.54", // inhibitAnyPolicy
            "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
        };

        private readonly ConcurrentDictionary<string, bool> _signatureBy = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        private CertInfo(Certificate certificate)
        {
            Certificate = certificate;
            Bc = certificate.Bc;
            var tbs = Bc.CertificateStructure.TbsCertificate;
            Version = Bc.Version;
            Serial = tbs.SerialNumber.Value;
            SerialOctets = tbs.SerialNumber.Value.ToByteArray().Length;
            Subject = ReadName(tbs.Subject, "subject");
            Issuer = ReadName(tbs.Issuer, "issuer");
            SelfIssued = Subject.Key == Issuer.Key;
            SpkiKey = Convert.ToBase64String(Bc.CertificateStructure.SubjectPublicKeyInfo.GetEncoded(Asn1Encodable.Der));
            Identity = Subject.Key + "|" + SpkiKey;
            SigAlgOid = Bc.CertificateStructure.SignatureAlgorithm.Algorithm.Id;
            SignatureAlgorithmsMatch = Bc.CertificateStructure.SignatureAlgorithm.Equals(tbs.Signature);
            ReadKey(Bc.CertificateStructure.SubjectPublicKeyInfo);
            ReadExtensions(tbs.Extensions);
        }

        public Certificate Certificate { get; }
        public BcCertificate Bc { get; }
        public int Version { get; }
        public BigInteger Serial { get; }
        public int SerialOctets { get; }
        public DistinguishedName Subject { get; }
        public DistinguishedName Issuer { get; }
        public bool SelfIssued { get; }
        public string SpkiKey { get; }
        /// <summary>Subject and key: a path must not use the same CA twice (loop detection, RFC 4158).</summary>
        public string Identity { get; }
        public string SigAlgOid { get; }
        public bool SignatureAlgorithmsMatch { get; }

        public PublicKeyKind KeyKind { get; private set; }
        public int KeyBits { get; private set; }
        public string? CurveOid { get; private set; }
        public bool ExplicitCurve { get; private set; }
        public string KeyDescription { get; private set; } = "unknown key";

        public List<string> CriticalUnknown { get; } = new List<string>();
        /// <summary>Encoding problems: each makes the certificate unusable in a path (MalformedCertificate).</summary>
        public List<string> Problems { get; } = new List<string>();

        public bool SkiPresent { get; private set; }
        public bool SkiCritical { get; private set; }
        public byte[]? Ski { get; private set; }

        public bool AkiPresent { get; private set; }
        public bool AkiCritical { get; private set; }
        public byte[]? AkiKeyId { get; private set; }
        public bool AkiHasIssuerOrSerial { get; private set; }

        public bool BasicConstraintsPresent { get; private set; }
        public bool BasicConstraintsCritical { get; private set; }
        public bool IsCa { get; private set; }
        public int? PathLen { get; private set; }

        /// <summary>keyUsage bits, or null when the extension is absent.</summary>
        public bool[]? KeyUsage { get; private set; }

        public List<string>? Eku { get; private set; }
        public bool EkuCritical { get; private set; }

        public List<GeneralNameValue>? San { get; private set; }
        public bool SanCritical { get; private set; }

        public bool NameConstraintsPresent { get; private set; }
        public NameConstraintSet? NameConstraints { get; private set; }

        public bool PolicyConstraintsPresent { get; private set; }
        public bool PolicyConstraintsCritical { get; private set; }
        public int? RequireExplicitPolicy { get; private set; }
        public bool HasCertificatePolicies { get; private set; }

        public bool AiaPresent { get; private set; }
        public bool AiaCritical { get; private set; }


        public bool HasKeyUsage(int bit) => KeyUsage != null && KeyUsage.Length > bit && KeyUsage[bit];

        /// <summary>Verifies this certificate's signature with the issuer's key, remembering the answer per key.</summary>
        public bool SignedBy(CertInfo issuer, ref int checks)
        {
            if (_signatureBy.TryGetValue(issuer.SpkiKey, out bool ok)) return ok;
            checks++;
            ok = SignatureAlgorithmsMatch && VerifySignature(issuer);
            _signatureBy[issuer.SpkiKey] = ok;
            return ok;
        }

        private bool VerifySignature(CertInfo issuer)
        {
            // One key object per issuer key (the certificate's, from PublicKeys.Of), so the platform imports it once
            // (PlatformVerifier keeps a copy per key object).
            Org.BouncyCastle.Crypto.AsymmetricKeyParameter key;
            try { key = issuer.Certificate.PublicKeyParameters; }
            catch (Exception) { return false; }
            return PlatformSignature.Verified(this, issuer, key) || Certificate.SignatureVerifiesWith(key);
        }

        private DistinguishedName ReadName(X509Name name, string what)
        {
            try { return DistinguishedName.From(name); }
            catch (Exception e)
            {
                Problems.Add("its " + what + " name cannot be read (" + e.Message + ")");
                return DistinguishedName.FromDer(new DerSequence().GetEncoded());
            }
        }

        private void ReadKey(SubjectPublicKeyInfo spki)
        {
            string oid = spki.Algorithm.Algorithm.Id;
            try
            {
                switch (oid)
                {
                    case "1.2.840.113549.1.1.1":
                    case "1.2.840.113549.1.1.10":
                        KeyKind = PublicKeyKind.Rsa;
                        KeyBits = RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey()).Modulus.BitLength;
                        KeyDescription = "RSA-" + KeyBits;
                        break;
                    case "1.2.840.10045.2.1":
                        KeyKind = PublicKeyKind.Ec;
                        var p = spki.Algorithm.Parameters?.ToAsn1Object();
                        if (p is DerObjectIdentifier curve)
                        {
                            CurveOid = curve.Id;
                            KeyDescription = "EC " + CurveName(curve.Id);
                        }
                        else
                        {
                            ExplicitCurve = true;
                            KeyDescription = "EC with explicit curve parameters";
                        }
                        break;
                    case "1.3.101.112": KeyKind = PublicKeyKind.Ed25519; KeyDescription = "Ed25519"; break;
                    case "1.3.101.113": KeyKind = PublicKeyKind.Ed448; KeyDescription = "Ed448"; break;
                    case "1.2.840.10040.4.1": KeyKind = PublicKeyKind.Dsa; KeyDescription = "DSA"; break;
                    default: KeyKind = PublicKeyKind.Other; KeyDescription = "key algorithm " + oid; break;
                }
            }
            catch (Exception e)
            {
                Problems.Add("its public key cannot be read (" + e.Message + ")");
            }
        }

        internal static string CurveName(string oid)
        {
            switch (oid)
            {
                case "1.2.840.10045.3.1.7": return "P-256";
                case "1.3.132.0.34": return "P-384";
                case "1.3.132.0.35": return "P-521";
                case "1.2.840.10045.3.1.1": return "P-192";
                case "1.3.132.0.33": return "P-224";
                default: return oid;
            }
        }

        private void ReadExtensions(X509Extensions? extensions)
        {
            if (extensions == null) return;
            foreach (var oid in extensions.ExtensionOids)
            {
                var ext = extensions.GetExtension(oid);
                string id = oid.Id;
                bool critical = ext.IsCritical;
                byte[] value = ext.Value.GetOctets();
                if (critical && !Recognized.Contains(id))
                    CriticalUnknown.Add(id);
                try
                {
                    switch (id)
                    {
                        case "2.5.29.14":
                            SkiPresent = true;
                            SkiCritical = critical;
                            Ski = Asn1OctetString.GetInstance(Asn1Object.FromByteArray(value)).GetOctets();
                            break;
                        case "2.5.29.35":
                            AkiPresent = true;
                            AkiCritical = critical;
                            var aki = AuthorityKeyIdentifier.GetInstance(Asn1Object.FromByteArray(value));
                            AkiKeyId = aki.KeyIdentifier?.GetOctets();
                            AkiHasIssuerOrSerial = aki.AuthorityCertIssuer != null || aki.AuthorityCertSerialNumber != null;
                            break;
                        case "2.5.29.19":
                            BasicConstraintsPresent = true;
                            BasicConstraintsCritical = critical;
                            var bc = BasicConstraints.GetInstance(Asn1Object.FromByteArray(value));
                            IsCa = bc.IsCA();
                            if (bc.PathLenConstraint != null)
                            {
                                if (bc.PathLenConstraint.SignValue < 0) throw new FormatException("negative pathLenConstraint");
                                PathLen = bc.PathLenConstraint.BitLength > 30 ? int.MaxValue : bc.PathLenConstraint.IntValue;
                            }
                            break;
                        case "2.5.29.15":
                            var bits = DerBitString.GetInstance(Asn1Object.FromByteArray(value));
                            var bytes = bits.GetBytes();
                            int length = bytes.Length * 8 - bits.PadBits;
                            var ku = new bool[Math.Max(9, length)];
                            for (int i = 0; i < length; i++) ku[i] = (bytes[i / 8] & (0x80 >> (i % 8))) != 0;
                            KeyUsage = ku;
                            break;
                        case "2.5.29.37":
                            EkuCritical = critical;
                            var seq = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(value));
                            var list = new List<string>();
                            foreach (var e in seq) list.Add(DerObjectIdentifier.GetInstance(e).Id);
                            if (list.Count == 0) throw new FormatException("extKeyUsage lists no purpose");
                            Eku = list;
                            break;
                        case "2.5.29.17":
                            SanCritical = critical;
                            var names = GeneralNameValue.ReadGeneralNames(value);
                            if (names.Count == 0) throw new FormatException("subjectAltName is empty");
                            San = names;
                            break;
                        case "2.5.29.30":
                            NameConstraintsPresent = true;
                            NameConstraints = NameConstraintSet.Read(value, critical);
                            break;
                        case "2.5.29.36":
                            PolicyConstraintsPresent = true;
                            PolicyConstraintsCritical = critical;
                            var pc = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(value));
                            if (pc.Count == 0) throw new FormatException("policyConstraints is empty");
                            foreach (var e in pc)
                            {
                                var t = Asn1TaggedObject.GetInstance(e);
                                if (t.TagNo == 0) RequireExplicitPolicy = DerInteger.GetInstance(t, false).IntValueExact;
                            }
                            break;
                        case "2.5.29.32":
                            HasCertificatePolicies = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(value)).Count > 0;
                            break;
                        case "1.3.6.1.5.5.7.1.1":
                            AiaPresent = true;
                            AiaCritical = critical;
                            var aia = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(value));
                            if (aia.Count == 0) throw new FormatException("authorityInfoAccess lists no access description");
                            foreach (var e in aia) AccessDescription.GetInstance(e);
                            break;
                    }
                }
                catch (Exception e)
                {
                    Problems.Add("its " + ExtensionName(id) + " extension cannot be read (" + e.Message + ")");
                }
            }
        }

        internal static string ExtensionName(string oid)
        {
            switch (oid)
            {
                case "2.5.29.14": return "subjectKeyIdentifier";
                case "2.5.29.15": return "keyUsage";
                case "2.5.29.17": return "subjectAltName";
                case "2.5.29.19": return "basicConstraints";
                case "2.5.29.30": return "nameConstraints";
                case "2.5.29.32": return "certificatePolicies";
                case "2.5.29.35": return "authorityKeyIdentifier";
                case "2.5.29.36": return "policyConstraints";
                case "2.5.29.37": return "extKeyUsage";
                case "1.3.6.1.5.5.7.1.1": return "authorityInfoAccess";
                default: return oid;
            }
        }
    }
}
