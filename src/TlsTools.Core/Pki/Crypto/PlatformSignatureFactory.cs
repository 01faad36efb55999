using System;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;

namespace TlsTools.Pki.Crypto
{
    /// <summary>
    /// BouncyCastle's <see cref="ISignatureFactory"/> (what certificate, request, CRL and OCSP generators take) with the
    /// private-key operation done by the platform (<see cref="PlatformKey"/>). The AlgorithmIdentifier is BouncyCastle's
    /// own (from <see cref="Asn1SignatureFactory"/>), so the signed structures are the same; only who computes the
    /// signature differs. BouncyCastle signs instead where the platform lacks the algorithm, and when the platform
    /// fails at signing time (the data is kept, so the same bytes are signed).
    /// </summary>
    internal sealed class PlatformSignatureFactory : ISignatureFactory
    {
        /// <summary>Signs data[offset, offset+count) the platform's way, returning the encoded signature.</summary>
        internal delegate byte[] Signer(byte[] data, int offset, int count);

        private readonly Asn1SignatureFactory _fallback;
        private readonly Signer _signer;

        internal PlatformSignatureFactory(Asn1SignatureFactory fallback, Signer signer)
        {
            _fallback = fallback ?? throw new ArgumentNullException(nameof(fallback));
            _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        }

        /// <summary>
        /// The signature factory for a key and a BouncyCastle algorithm name: the platform's when it can sign with this key
        /// and algorithm (and <paramref name="usePlatform"/>), else BouncyCastle's <see cref="Asn1SignatureFactory"/>.
        /// </summary>
        internal static ISignatureFactory Create(PrivateKey key, string algorithm, SecureRandom random, bool usePlatform = true)
        {
            var bc = new Asn1SignatureFactory(algorithm, key.Private, random);
            if (!usePlatform) return bc;
            var signer = SignerFor(key.Platform, algorithm);
            return signer == null ? (ISignatureFactory)bc : new PlatformSignatureFactory(bc, signer);
        }

        /// <summary>The platform's way to sign with this key and algorithm, or null (then BouncyCastle signs).</summary>
        internal static Signer? SignerFor(PlatformKey? key, string algorithm)
        {
            if (key == null) return null;
            switch (algorithm.ToUpperInvariant())
            {
                case "SHA256WITHRSA" when key.IsRsa: return Rsa(key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                case "SHA384WITHRSA" when key.IsRsa: return Rsa(key, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
                case "SHA512WITHRSA" when key.IsRsa: return Rsa(key, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1);
                // BouncyCastle's PSS parameters for these names: MGF1 with the same hash, salt as long as the hash (.NET's).
                case "SHA256WITHRSAANDMGF1" when key.IsRsa: return Rsa(key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                case "SHA384WITHRSAANDMGF1" when key.IsRsa: return Rsa(key, HashAlgorithmName.SHA384, RSASignaturePadding.Pss);
                case "SHA512WITHRSAANDMGF1" when key.IsRsa: return Rsa(key, HashAlgorithmName.SHA512, RSASignaturePadding.Pss);
                case "SHA256WITHECDSA" when key.IsEcdsa: return Ecdsa(key, HashAlgorithmName.SHA256);
                case "SHA384WITHECDSA" when key.IsEcdsa: return Ecdsa(key, HashAlgorithmName.SHA384);
                case "SHA512WITHECDSA" when key.IsEcdsa: return Ecdsa(key, HashAlgorithmName.SHA512);
                default: return null;
            }
        }

        private static Signer Rsa(PlatformKey key, HashAlgorithmName hash, RSASignaturePadding padding) =>
            (data, offset, count) => key.SignRsa(data, offset, count, hash, padding);

        private static Signer Ecdsa(PlatformKey key, HashAlgorithmName hash) =>
            (data, offset, count) => key.SignEcdsa(data, offset, count, hash);

        public object AlgorithmDetails => _fallback.AlgorithmDetails;

        public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(this);

        private sealed class Calculator : IStreamCalculator<IBlockResult>
        {
            private readonly PlatformSignatureFactory _factory;
            private readonly Input _data = new Input();

            internal Calculator(PlatformSignatureFactory factory) { _factory = factory; }

            public Stream Stream => _data;

            // BouncyCastle's own result type: it has the span overload BouncyCastle's net6.0 build adds to IBlockResult.
            public IBlockResult GetResult() => new SimpleBlockResult(Sign());

            private byte[] Sign()
            {
                var data = _data.GetBuffer();
                int count = (int)_data.Length;
                try
                {
                    return _factory._signer(data, 0, count);
                }
                catch (Exception e) when (PlatformKey.IsPlatformRefusal(e))
                {
                    var bc = _factory._fallback.CreateCalculator();
                    bc.Stream.Write(data, 0, count);
                    return bc.GetResult().Collect();
                }
            }
        }

        /// <summary>The data to sign. BouncyCastle disposes the calculator's stream before asking for the result; the bytes stay.</summary>
        private sealed class Input : MemoryStream
        {
            protected override void Dispose(bool disposing)
            {
                // Kept readable: GetResult signs what was written.
            }
        }
    }
}
