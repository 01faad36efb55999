using System;
using System.IO;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using TlsTools.Pki;

namespace TlsTools.Formats
{
    /// <summary>Private-key decoding: PKCS#8 (encrypted or not), PKCS#1, SEC1 and OpenSSL's encrypted legacy PEM.</summary>
    internal static class PrivateKeyDecoder
    {
        internal static bool IsKeyLabel(string label) =>
            label == "PRIVATE KEY" || label == "ENCRYPTED PRIVATE KEY" || label == "RSA PRIVATE KEY" ||
            label == "EC PRIVATE KEY" || label == "DSA PRIVATE KEY";

        internal static bool IsEncryptedKeyBlock(PemBlock block) =>
            block.Label == "ENCRYPTED PRIVATE KEY" || block.Headers.IndexOf("ENCRYPTED", StringComparison.Ordinal) >= 0;

        /// <summary>The key in a PEM block with a private-key label; null for any other label.</summary>
        public static PrivateKey? FromPem(PemBlock block, char[]? password)
        {
            switch (block.Label)
            {
                case "PRIVATE KEY":
                    return PkiReader.Guard(ErrorIds.InvalidPrivateKey, "PKCS#8 private key", () => new PrivateKey(PrivateKeyFactory.CreateKey(block.Data)));
                case "ENCRYPTED PRIVATE KEY":
                    return DecryptPkcs8(block.Data, password);
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                case "DSA PRIVATE KEY":
                    return ReadLegacyPem(block, password);
                default:
                    return null;
            }
        }

        private static PrivateKey ReadLegacyPem(PemBlock block, char[]? password)
        {
            bool encrypted = IsEncryptedKeyBlock(block);
            if (encrypted && (password == null || password.Length == 0))
                throw new TlsToolsException(ErrorIds.PasswordRequired, ErrorKind.AuthenticationError, "The private key is encrypted; give its password with -Password.");
            object? obj;
            try
            {
                var reader = new PemReader(new StringReader(block.Text), encrypted ? new PasswordFinder(password!) : null);
                obj = reader.ReadObject();
            }
            catch (Exception e) when (encrypted && !(e is TlsToolsException))
            {
                throw new TlsToolsException(ErrorIds.WrongPassword, ErrorKind.AuthenticationError, "The password does not decrypt this private key.", e);
            }
            catch (Exception e) when (!(e is TlsToolsException))
            {
                throw new TlsToolsException(ErrorIds.InvalidPrivateKey, ErrorKind.InvalidData, "The '" + block.Label + "' block is not a readable private key: " + e.Message, e);
            }
            switch (obj)
            {
                case AsymmetricCipherKeyPair pair:
                    return PkiReader.Guard(ErrorIds.InvalidPrivateKey, "private key", () => new PrivateKey(pair.Private, pair.Public));
                case AsymmetricKeyParameter k when k.IsPrivate:
                    return PkiReader.Guard(ErrorIds.InvalidPrivateKey, "private key", () => new PrivateKey(k));
                default:
                    throw new TlsToolsException(ErrorIds.InvalidPrivateKey, ErrorKind.InvalidData, "The '" + block.Label + "' block is not a readable private key.");
            }
        }

        private static PrivateKey DecryptPkcs8(byte[] der, char[]? password)
        {
            if (password == null || password.Length == 0)
                throw new TlsToolsException(ErrorIds.PasswordRequired, ErrorKind.AuthenticationError, "The private key is encrypted; give its password with -Password.");
            EncryptedPrivateKeyInfo info = PkiReader.Guard(ErrorIds.InvalidPrivateKey, "encrypted PKCS#8 key", () => EncryptedPrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(der)));
            KdfLimits.CheckEncryptedKey(info);
            AsymmetricKeyParameter key;
            try
            {
                key = PrivateKeyFactory.DecryptKey(password, info);
            }
            catch (Exception e)
            {
                // A wrong password shows as bad padding or as garbage that is not a PrivateKeyInfo.
                throw new TlsToolsException(ErrorIds.WrongPassword, ErrorKind.AuthenticationError, "The password does not decrypt this private key.", e);
            }
            return PkiReader.Guard(ErrorIds.InvalidPrivateKey, "private key", () => new PrivateKey(key));
        }

        /// <summary>A DER key: encrypted or plain PKCS#8, PKCS#1 RSA or SEC1 EC. Library failures are left to the caller's guard.</summary>
        public static PrivateKey FromDer(byte[] data, char[]? password)
        {
            var asn1 = Asn1Object.FromByteArray(data);
            if (!(asn1 is Asn1Sequence seq) || seq.Count < 2)
                throw new InvalidDataException("not an ASN.1 SEQUENCE");
            if (seq[0] is Asn1Sequence && seq[1] is Asn1OctetString)
                return DecryptPkcs8(data, password);
            if (seq[0] is DerInteger version)
            {
                if (seq.Count >= 3 && seq[1] is Asn1Sequence)
                    return new PrivateKey(PrivateKeyFactory.CreateKey(PrivateKeyInfo.GetInstance(seq)));
                if (seq.Count >= 9 && version.HasValue(0))
                {
                    var rsa = RsaPrivateKeyStructure.GetInstance(seq);
                    return new PrivateKey(new RsaPrivateCrtKeyParameters(rsa.Modulus, rsa.PublicExponent, rsa.PrivateExponent,
                        rsa.Prime1, rsa.Prime2, rsa.Exponent1, rsa.Exponent2, rsa.Coefficient));
                }
                if (version.HasValue(1) && seq[1] is Asn1OctetString)
                {
                    var ec = ECPrivateKeyStructure.GetInstance(seq);
                    var parameters = ec.Parameters ?? throw new InvalidDataException("the SEC1 key names no curve");
                    var algId = new AlgorithmIdentifier(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.IdECPublicKey, parameters);
                    return new PrivateKey(PrivateKeyFactory.CreateKey(new PrivateKeyInfo(algId, ec)));
                }
            }
            throw new InvalidDataException("not a PKCS#8, PKCS#1 or SEC1 private key");
        }

        private sealed class PasswordFinder : IPasswordFinder
        {
            private readonly char[] _password;
            public PasswordFinder(char[] password) { _password = password; }
            public char[] GetPassword() => (char[])_password.Clone();
        }
    }
}
