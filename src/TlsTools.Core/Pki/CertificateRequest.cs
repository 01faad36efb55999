using System;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;

namespace TlsTools.Pki
{
    /// <summary>A PKCS#10 certificate request: the subject, the public key and the extensions asked for.</summary>
    public sealed class CertificateRequest
    {
        private readonly SanSet _sans;

        internal CertificateRequest(Pkcs10CertificationRequest request, PrivateKey? privateKey = null)
        {
            Bc = request ?? throw new ArgumentNullException(nameof(request));
            PrivateKey = privateKey;
            // Parsed and validated once (an RSA modulus's Miller-Rabin rounds on the platform); the signature check and
            // the certificate issued for it use this object.
            PublicKey = Crypto.PublicKeys.FromSubjectPublicKeyInfo(request.GetCertificationRequestInfo().SubjectPublicKeyInfo);
            RequestedExtensions = ReadExtensions(request);
            var san = RequestedExtensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            _sans = san == null ? new SanSet() : SanSet.FromGeneralNames(GeneralNames.GetInstance(san.GetParsedValue()));
            try
            {
                // The platform's check when it says "valid" (much faster); BouncyCastle's otherwise.
                SignatureValid = Crypto.PlatformVerifier.TryVerify(PublicKey, request.SignatureAlgorithm,
                    request.GetCertificationRequestInfo().GetEncoded(Asn1Encodable.Der), request.Signature.GetOctets()) ?? request.Verify(PublicKey);
            }
            catch (Exception)
            {
                SignatureValid = false;
            }
        }

        internal Pkcs10CertificationRequest Bc { get; }

        internal X509Extensions? RequestedExtensions { get; }

        internal Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKey { get; }

        public string Subject => Bc.GetCertificationRequestInfo().Subject.ToString();
        public string[] DnsNames => _sans.Dns.ToArray();
        public string[] IpAddresses => _sans.Ip.ToArray();
        public string[] EmailAddresses => _sans.Email.ToArray();
        public string KeyAlgorithm => KeyInfo.Describe(PublicKey);
        public string SignatureAlgorithm => SignatureNames.Describe(Bc.SignatureAlgorithm.Algorithm.Id, Bc.SignatureAlgorithm.Algorithm.Id);

        /// <summary>True when the request's signature verifies with its own public key (proof of possession).</summary>
        public bool SignatureValid { get; }

        public string PublicKeySha256 => Pki.PrivateKey.ComputePublicKeySha256(PublicKey);

        public bool HasPrivateKey => PrivateKey != null;

        /// <summary>The key, when New-CertificateRequest made it (or it was attached); never read from a request file.</summary>
        public PrivateKey? PrivateKey { get; }

        /// <summary>The DER encoding. A method, not a property, so ConvertTo-Json stays readable.</summary>
        public byte[] GetRawData() => Bc.GetEncoded();

        public string ToPem() => Formats.Pem.Encode("CERTIFICATE REQUEST", Bc.GetEncoded());

        public override string ToString() => Subject;

        private static X509Extensions? ReadExtensions(Pkcs10CertificationRequest request)
        {
            var attributes = request.GetCertificationRequestInfo().Attributes;
            if (attributes == null) return null;
            foreach (var element in attributes)
            {
                var attr = AttributePkcs.GetInstance(element);
                if (PkcsObjectIdentifiers.Pkcs9AtExtensionRequest.Equals(attr.AttrType) && attr.AttrValues.Count > 0)
                    return X509Extensions.GetInstance(attr.AttrValues[0]);
            }
            return null;
        }
    }
}
