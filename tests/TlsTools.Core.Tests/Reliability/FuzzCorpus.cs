using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Tls;

namespace TlsTools.Tests.Reliability
{
    internal enum SeedKind { Certificate, Key, Request, Crl }

    internal sealed class Seed
    {
        public Seed(string name, SeedKind kind, byte[] data, char[]? password = null, int weight = 100)
        {
            Name = name;
            Kind = kind;
            Data = data;
            Password = password;
            Weight = weight;
        }

        public string Name { get; }
        public SeedKind Kind { get; }
        public byte[] Data { get; }
        public char[]? Password { get; }
        /// <summary>Relative share of the random mutations (expensive seeds, e.g. 100,000-iteration keys, get fewer).</summary>
        public int Weight { get; }
        public bool IsPem => Data.Length > 0 && Data[0] == (byte)'-';
    }

    /// <summary>Valid inputs made at test start with the core (Issuance, KeyFactory, PkiWriter) and a few BouncyCastle-only encodings.</summary>
    internal sealed class FuzzCorpus
    {
        public static readonly char[] Password = "fuzz-Passw0rd".ToCharArray();

        private static readonly Lazy<FuzzCorpus> Shared = new Lazy<FuzzCorpus>(() => new FuzzCorpus());

        public static FuzzCorpus Instance => Shared.Value;

        public Certificate Ca { get; }
        public Certificate Intermediate { get; }
        public Certificate Leaf { get; }
        public CertificateRevocationList Crl { get; }
        public CertificateRequest Request { get; }
        public List<Seed> Seeds { get; } = new List<Seed>();

        private FuzzCorpus()
        {
            var caKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            Ca = Issuance.CreateCa(new CertificateOptions { Subject = "CN=Fuzz Root, O=TlsTools" }, caKey, null);
            var interKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            Intermediate = Issuance.CreateCa(new CertificateOptions
            {
                Subject = "CN=Fuzz Intermediate, O=TlsTools",
                PathLength = 0,
                PermittedDnsNames = { "example.test" },
                CrlDistributionPoints = { "http://crl.example.test/i.crl" },
            }, interKey, Ca);
            var leafKey = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            Leaf = Issuance.CreateLeaf(new CertificateOptions
            {
                Subject = "CN=www.example.test",
                DnsNames = { "www.example.test", "*.api.example.test" },
                IpAddresses = { "192.0.2.7" },
                OcspUrls = { "http://ocsp.example.test" },
                CaIssuersUrls = { "http://ca.example.test/i.crt" },
            }, Intermediate, null, leafKey);
            var revokedSerial = Issuance.CreateLeaf(new CertificateOptions { Subject = "CN=revoked.example.test", DnsNames = { "revoked.example.test" } },
                Intermediate, null, KeyFactory.Generate(KeyAlgorithm.EcdsaP256)).SerialNumber;
            Crl = Issuance.CreateCrl(Intermediate, new[] { (revokedSerial, DateTime.UtcNow.AddDays(-1), (RevocationReason?)RevocationReason.KeyCompromise) });
            var rsaKey = KeyFactory.Generate(KeyAlgorithm.Rsa2048);
            Request = Issuance.CreateRequest(new RequestOptions { Subject = "CN=csr.example.test", DnsNames = { "csr.example.test" }, EmailAddresses = { "a@example.test" } }, leafKey);
            var rsaRequest = Issuance.CreateRequest(new RequestOptions { Subject = "CN=rsa.example.test" }, rsaKey);
            var edKey = KeyFactory.Generate(KeyAlgorithm.Ed25519);

            byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

            // Certificates.
            Seeds.Add(new Seed("cert-der", SeedKind.Certificate, Leaf.GetRawData(), weight: 300));
            Seeds.Add(new Seed("cert-pem", SeedKind.Certificate, PkiWriter.EncodeCertificates(new[] { Leaf }, CertificateFormat.Pem, null), weight: 150));
            Seeds.Add(new Seed("inter-der", SeedKind.Certificate, Intermediate.GetRawData(), weight: 200));
            // PkiWriter's PFX layout with 1,024 iterations instead of PfxIterations (10,000 each for MAC, key and certificates),
            // so that each mutant that reaches the MAC check costs milliseconds, as the fast encrypted key below.
            Seeds.Add(new Seed("pfx", SeedKind.Certificate, PkiWriter.EncodePfx(new[] { Leaf, Intermediate }, Password, iterations: 1024), Password, weight: 60));
            Seeds.Add(new Seed("pfx-nokey", SeedKind.Certificate, PkiWriter.EncodePfx(new[] { Ca }, Password, iterations: 1024), Password, weight: 30));
            var mixed = Leaf.ToPem() + "# a comment\n" + Intermediate.ToPem() + Encoding.ASCII.GetString(PkiWriter.EncodePrivateKey(leafKey, KeyFormat.Pem, null))
                        + Crl.ToPem() + Request.ToPem();
            Seeds.Add(new Seed("mixed-pem", SeedKind.Certificate, Ascii(mixed), weight: 100));
            Seeds.Add(new Seed("mixed-pem-enckey", SeedKind.Certificate,
                Ascii(Leaf.ToPem() + Encoding.ASCII.GetString(FastEncryptedKey(leafKey, pem: true))), Password, weight: 60));

            // Keys.
            Seeds.Add(new Seed("key-pkcs8-der", SeedKind.Key, PkiWriter.EncodePrivateKey(leafKey, KeyFormat.Der, null), weight: 150));
            Seeds.Add(new Seed("key-pkcs8-pem", SeedKind.Key, PkiWriter.EncodePrivateKey(edKey, KeyFormat.Pem, null), weight: 60));
            Seeds.Add(new Seed("key-rsa-pkcs8-der", SeedKind.Key, PkiWriter.EncodePrivateKey(rsaKey, KeyFormat.Der, null), weight: 30));
            // PkiWriter's own encrypted form: PBKDF2 with 100,000 iterations, so each decryption costs ~0.1 s: few mutants.
            Seeds.Add(new Seed("key-enc-pem", SeedKind.Key, PkiWriter.EncodePrivateKey(leafKey, KeyFormat.Pem, Password), Password, weight: 3));
            Seeds.Add(new Seed("key-enc-der-fast", SeedKind.Key, FastEncryptedKey(leafKey, pem: false), Password, weight: 80));
            var rsaPair = new Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair(rsaKey.Public, rsaKey.Private);
            var ecPair = new Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair(leafKey.Public, leafKey.Private);
            Seeds.Add(new Seed("key-pkcs1-der", SeedKind.Key, PrivateKeyInfoFactory.CreatePrivateKeyInfo(rsaKey.Private).ParsePrivateKey().GetEncoded(), weight: 30));
            Seeds.Add(new Seed("key-pkcs1-pem", SeedKind.Key, Ascii(OpenSslPem(rsaPair, null)), weight: 15));
            Seeds.Add(new Seed("key-sec1-pem", SeedKind.Key, Ascii(OpenSslPem(ecPair, null)), weight: 60));
            Seeds.Add(new Seed("key-sec1-der", SeedKind.Key, PrivateKeyInfoFactory.CreatePrivateKeyInfo(leafKey.Private).ParsePrivateKey().GetEncoded(), weight: 60));
            Seeds.Add(new Seed("key-legacy-enc-pem", SeedKind.Key, Ascii(OpenSslPem(ecPair, "AES-128-CBC")), Password, weight: 60));

            // Requests and CRLs.
            Seeds.Add(new Seed("csr-der", SeedKind.Request, Request.GetRawData(), weight: 150));
            Seeds.Add(new Seed("csr-pem", SeedKind.Request, Ascii(Request.ToPem()), weight: 60));
            // RSA keys cost more per read (BouncyCastle tests the modulus for primality): fewer mutants.
            Seeds.Add(new Seed("csr-rsa-der", SeedKind.Request, rsaRequest.GetRawData(), weight: 20));
            Seeds.Add(new Seed("crl-der", SeedKind.Crl, Crl.GetRawData(), weight: 200));
            Seeds.Add(new Seed("crl-pem", SeedKind.Crl, Ascii(Crl.ToPem()), weight: 60));
        }

        /// <summary>Encrypted PKCS#8 like PkiWriter's (PBES2, AES-256-CBC, HMAC-SHA256) but with 1,000 iterations, so that thousands of mutants stay cheap.</summary>
        private static byte[] FastEncryptedKey(PrivateKey key, bool pem)
        {
            var salt = new byte[16];
            new SecureRandom().NextBytes(salt);
            var der = EncryptedPrivateKeyInfoFactory.CreateEncryptedPrivateKeyInfo(NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256,
                Password, salt, 1000, new SecureRandom(), PkiWriter.PrivateKeyInfoV1(key)).GetEncoded();
            return pem ? Encoding.ASCII.GetBytes(Formats.Pem.Encode("ENCRYPTED PRIVATE KEY", der)) : der;
        }

        /// <summary>OpenSSL's traditional PEM ("RSA PRIVATE KEY", "EC PRIVATE KEY"), encrypted with a DEK-Info header when a cipher is given.</summary>
        private static string OpenSslPem(Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair pair, string? cipher)
        {
            var sw = new StringWriter();
            var w = new PemWriter(sw);
            if (cipher == null) w.WriteObject(pair);
            else w.WriteObject(new MiscPemGenerator(pair, cipher, Password, new SecureRandom()));
            w.Writer.Flush();
            return sw.ToString();
        }
    }
}
