using System;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using TlsTools.Pki.Crypto;

namespace TlsTools.Tls
{
    /// <summary>
    /// The client's check of a TLS 1.2 ServerKeyExchange signed with ECDSA (SHA-256/384/512) on P-256, P-384 or P-521,
    /// done by the platform's ECDSA (<see cref="PlatformVerifier"/>), as <see cref="PlatformTls13Verifier"/> does for the
    /// TLS 1.3 CertificateVerify. BouncyCastle's own verifier hashes the signed parameters and checks them with its managed
    /// ECDSA; here the signed bytes are collected and only "verified" is taken from the platform: any other answer goes
    /// to BouncyCastle's ECDSA over the same bytes, whose verdict stands. Anything else (no signature algorithm, another
    /// hash or signature algorithm) goes to BouncyCastle's verifier unchanged.
    /// </summary>
    internal sealed class PlatformTls12Verifier : TlsVerifier
    {
        private readonly ECPublicKeyParameters _key;
        private readonly TlsVerifier _bouncyCastle;

        /// <param name="key">The server's key (on a named NIST curve).</param>
        /// <param name="bouncyCastle">BouncyCastle's verifier for the same key: used for everything this one does not take.</param>
        internal PlatformTls12Verifier(ECPublicKeyParameters key, TlsVerifier bouncyCastle)
        {
            _key = key ?? throw new ArgumentNullException(nameof(key));
            _bouncyCastle = bouncyCastle ?? throw new ArgumentNullException(nameof(bouncyCastle));
        }

        public TlsStreamVerifier? GetStreamVerifier(DigitallySigned digitallySigned)
        {
            var algorithm = digitallySigned.Algorithm;
            if (algorithm == null || algorithm.Signature != SignatureAlgorithm.ecdsa || PlatformKey.CurveOf(_key.PublicKeyParamSet) == null)
                return _bouncyCastle.GetStreamVerifier(digitallySigned);
            switch (algorithm.Hash)
            {
                case Org.BouncyCastle.Tls.HashAlgorithm.sha256: return new StreamVerifier(_key, HashAlgorithmName.SHA256, new Sha256Digest(), digitallySigned.Signature);
                case Org.BouncyCastle.Tls.HashAlgorithm.sha384: return new StreamVerifier(_key, HashAlgorithmName.SHA384, new Sha384Digest(), digitallySigned.Signature);
                case Org.BouncyCastle.Tls.HashAlgorithm.sha512: return new StreamVerifier(_key, HashAlgorithmName.SHA512, new Sha512Digest(), digitallySigned.Signature);
                default: return _bouncyCastle.GetStreamVerifier(digitallySigned);
            }
        }

        public bool VerifyRawSignature(DigitallySigned digitallySigned, byte[] hash) => _bouncyCastle.VerifyRawSignature(digitallySigned, hash);

        private sealed class StreamVerifier : TlsStreamVerifier
        {
            private readonly ECPublicKeyParameters _key;
            private readonly HashAlgorithmName _hash;
            private readonly IDigest _digest;
            private readonly byte[] _signature;
            // BouncyCastle closes the stream before it asks for the verdict: keep our own buffer.
            private readonly MemoryStream _content = new MemoryStream(256);

            public StreamVerifier(ECPublicKeyParameters key, HashAlgorithmName hash, IDigest digest, byte[] signature)
            {
                _key = key;
                _hash = hash;
                _digest = digest;
                _signature = signature;
            }

            public Stream Stream => _content;

            public bool IsVerified()
            {
                byte[] content = _content.ToArray();
                if (PlatformVerifier.TryVerify(_key, _hash, content, 0, content.Length, _signature) == true) return true;
                // BouncyCastle's verdict, as its own verifier reaches it (ECDSA over the digest, the signature in DER).
                var signer = new DsaDigestSigner(new ECDsaSigner(), _digest);
                signer.Init(false, _key);
                signer.BlockUpdate(content, 0, content.Length);
                return signer.VerifySignature(_signature);
            }
        }
    }
}
