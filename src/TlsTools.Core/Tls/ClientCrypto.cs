using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace TlsTools.Tls
{
    /// <summary>
    /// The client's BouncyCastle crypto. Its X.509 certificates hide the TLS feature extension (RFC 7633) from
    /// BouncyCastle, which would otherwise abort the handshake when a must-staple server does not echo status_request:
    /// TlsTools completes the handshake and reports the missing staple itself, as a chain-validation failure with its own
    /// check name (<see cref="Validation.ValidationCheck.MustStaple"/>; see <see cref="Stapling"/>), so the user sees what
    /// the server did. A TLS 1.3 ECDSA CertificateVerify is checked by the platform's ECDSA where it serves
    /// (<see cref="PlatformTls13Verifier"/>), a TLS 1.2 ECDSA ServerKeyExchange likewise (<see cref="PlatformTls12Verifier"/>),
    /// each with one platform key per distinct server key (the key object is shared, <see cref="Pki.Crypto.PublicKeys.Of"/>, and the
    /// platform's copy is kept per key object); everything else (chain, key, signatures) is BouncyCastle's as usual.
    /// </summary>
    internal class ClientCrypto : BcTlsCrypto
    {
        public ClientCrypto(SecureRandom random) : base(random)
        {
        }

        public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
            type == CertificateType.X509 ? new FeatureBlindCertificate(this, encoding) : base.CreateCertificate(type, encoding);

        private sealed class FeatureBlindCertificate : BcTlsCertificate
        {
            public FeatureBlindCertificate(BcTlsCrypto crypto, byte[] encoding) : base(crypto, encoding)
            {
            }

            public override byte[]? GetExtension(DerObjectIdentifier extensionOid) =>
                TlsObjectIdentifiers.id_pe_tlsfeature.Equals(extensionOid) ? null : base.GetExtension(extensionOid);

            private Org.BouncyCastle.Crypto.AsymmetricKeyParameter? _publicKey;

            // BouncyCastle parses (and, for RSA, validates in managed code) the key again at every call, several times
            // per handshake: here once per certificate, and once per process for each distinct key (PublicKeys.Of), whose
            // one object per key also lets PlatformVerifier import a server's key into the platform once, not per handshake.
            protected override Org.BouncyCastle.Crypto.AsymmetricKeyParameter GetPublicKey()
            {
                if (_publicKey != null) return _publicKey;
                try
                {
                    return _publicKey = Pki.Crypto.PublicKeys.Of(SubjectPublicKeyInfo);
                }
                catch (Exception e)
                {
                    throw new TlsFatalAlert(AlertDescription.unsupported_certificate, e);   // as BouncyCastle's own
                }
            }

            // TLS 1.3 ECDSA CertificateVerify on the platform's ECDSA where it serves (PlatformTls13Verifier), else BouncyCastle's.
            public override Tls13Verifier CreateVerifier(int signatureScheme)
            {
                if (SignatureScheme.IsECDsa(signatureScheme) && GetPublicKey() is Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters)
                {
                    ValidateKeyUsage(Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature);
                    var verifier = PlatformTls13Verifier.TryCreate(GetPubKeyEC(), signatureScheme, () => base.CreateVerifier(signatureScheme));
                    if (verifier != null) return verifier;
                }
                return base.CreateVerifier(signatureScheme);
            }

            // TLS 1.2 ECDSA ServerKeyExchange on the platform's ECDSA where it serves (PlatformTls12Verifier), else BouncyCastle's.
            public override TlsVerifier CreateVerifier(short signatureAlgorithm)
            {
                var verifier = base.CreateVerifier(signatureAlgorithm); // BouncyCastle's checks (key usage, key type) first
                return signatureAlgorithm == SignatureAlgorithm.ecdsa && GetPublicKey() is Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters
                    ? new PlatformTls12Verifier(GetPubKeyEC(), verifier)
                    : verifier;
            }
        }
    }
}
