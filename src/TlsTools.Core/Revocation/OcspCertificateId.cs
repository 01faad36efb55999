using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using TlsTools.Pki;

namespace TlsTools.Revocation
{
    /// <summary>The hash an OCSP CertID is made with (RFC 6960 4.1.1). SHA-1 is what most responders expect.</summary>
    public enum OcspHashAlgorithm
    {
        Sha1,
        Sha256,
        Sha384,
        Sha512,
    }

    /// <summary>
    /// An OCSP CertID: the hash algorithm, the hashes of the issuer's name and public key, and the certificate's serial
    /// number. Computed here from the certificate and its issuer; compared by value (the hash algorithm by OID, so an
    /// AlgorithmIdentifier with or without NULL parameters matches).
    /// </summary>
    public sealed class OcspCertificateId
    {
        private OcspCertificateId(CertID id, string hashOid)
        {
            Asn1 = id;
            HashAlgorithmOid = hashOid;
        }

        /// <summary>The hash algorithm, or null when the OID is not one TlsTools computes (then it never matches).</summary>
        public OcspHashAlgorithm? HashAlgorithm => FromOid(HashAlgorithmOid);

        public string HashAlgorithmOid { get; }

        /// <summary>Hash of the issuer's distinguished name (DER), uppercase hex.</summary>
        public string IssuerNameHash => Hex.Upper(Asn1.IssuerNameHash.GetOctets());

        /// <summary>Hash of the issuer's public key (the subjectPublicKey BIT STRING's bytes), uppercase hex.</summary>
        public string IssuerKeyHash => Hex.Upper(Asn1.IssuerKeyHash.GetOctets());

        /// <summary>The certificate's serial number, uppercase hex as <see cref="Certificate.SerialNumber"/> shows it.</summary>
        public string SerialNumber => Asn1.SerialNumber.Value.ToString(16).ToUpperInvariant().PadLeft(2, '0');

        internal CertID Asn1 { get; }

        /// <summary>The CertID of <paramref name="certificate"/> as issued by <paramref name="issuer"/>.</summary>
        public static OcspCertificateId For(Certificate certificate, Certificate issuer, OcspHashAlgorithm hash = OcspHashAlgorithm.Sha1)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            if (issuer == null) throw new ArgumentNullException(nameof(issuer));
            var oid = Oid(hash);
            return new OcspCertificateId(Compute(new AlgorithmIdentifier(oid, DerNull.Instance), issuer, certificate.Bc.SerialNumber), oid.Id);
        }

        internal static OcspCertificateId From(CertID id) => new OcspCertificateId(id, id.HashAlgorithm.Algorithm.Id);

        /// <summary>True when this CertID names <paramref name="certificate"/> issued by <paramref name="issuer"/>.</summary>
        public bool Matches(Certificate certificate, Certificate issuer)
        {
            if (certificate == null || issuer == null || HashAlgorithm == null) return false;
            if (!Asn1.SerialNumber.Value.Equals(certificate.Bc.SerialNumber)) return false;
            return MatchesIssuer(issuer);
        }

        /// <summary>True when the issuer hashes of this CertID are those of <paramref name="issuer"/>.</summary>
        public bool MatchesIssuer(Certificate issuer)
        {
            if (issuer == null || HashAlgorithm == null) return false;
            var mine = Compute(Asn1.HashAlgorithm, issuer, Asn1.SerialNumber.Value);
            return Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(mine.IssuerNameHash.GetOctets(), Asn1.IssuerNameHash.GetOctets())
                && Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(mine.IssuerKeyHash.GetOctets(), Asn1.IssuerKeyHash.GetOctets());
        }

        /// <summary>SHA-1 of the certificate's subjectPublicKey bytes: the KeyHash a ResponderID byKey carries.</summary>
        internal static byte[] KeyHash(Certificate certificate) =>
            DigestUtilities.CalculateDigest(OiwObjectIdentifiers.IdSha1, certificate.Bc.CertificateStructure.SubjectPublicKeyInfo.PublicKey.GetBytes());

        public override bool Equals(object? obj) => obj is OcspCertificateId other && other.HashAlgorithmOid == HashAlgorithmOid
            && other.IssuerNameHash == IssuerNameHash && other.IssuerKeyHash == IssuerKeyHash && other.SerialNumber == SerialNumber;

        public override int GetHashCode() => (HashAlgorithmOid + SerialNumber).GetHashCode();

        public override string ToString() => (HashAlgorithm?.ToString() ?? HashAlgorithmOid) + " serial " + SerialNumber;

        private static CertID Compute(AlgorithmIdentifier algorithm, Certificate issuer, BigInteger serial)
        {
            var oid = algorithm.Algorithm;
            var nameHash = DigestUtilities.CalculateDigest(oid, issuer.Bc.CertificateStructure.Subject.GetEncoded(Asn1Encodable.Der));
            var keyHash = DigestUtilities.CalculateDigest(oid, issuer.Bc.CertificateStructure.SubjectPublicKeyInfo.PublicKey.GetBytes());
            return new CertID(algorithm, new DerOctetString(nameHash), new DerOctetString(keyHash), new DerInteger(serial));
        }

        private static DerObjectIdentifier Oid(OcspHashAlgorithm hash)
        {
            switch (hash)
            {
                case OcspHashAlgorithm.Sha1: return OiwObjectIdentifiers.IdSha1;
                case OcspHashAlgorithm.Sha256: return NistObjectIdentifiers.IdSha256;
                case OcspHashAlgorithm.Sha384: return NistObjectIdentifiers.IdSha384;
                case OcspHashAlgorithm.Sha512: return NistObjectIdentifiers.IdSha512;
                default: throw new ArgumentOutOfRangeException(nameof(hash));
            }
        }

        private static OcspHashAlgorithm? FromOid(string oid)
        {
            foreach (OcspHashAlgorithm h in Enum.GetValues(typeof(OcspHashAlgorithm)))
                if (Oid(h).Id == oid) return h;
            return null;
        }
    }
}
