using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Validation;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Tests.Validation
{
    /// <summary>
    /// Issue 11: a trust anchor is a name and a key, with its name constraints. Profile rules the anchor breaks are Warnings;
    /// the same defects in an intermediate still fail. Includes every root of the OS store as it ships.
    /// </summary>
    public sealed class TrustAnchorTests
    {
        /// <summary>The Debian/Ubuntu bundle (package ca-certificates; .ci/run installs it).</summary>
        internal const string OsBundle = "/etc/ssl/certs/ca-certificates.crt";

        private static readonly SecureRandom Random = new SecureRandom();
        private static readonly Lazy<AsymmetricCipherKeyPair> SharedKey = new Lazy<AsymmetricCipherKeyPair>(NewKey);
        private readonly ITestOutputHelper _output;

        public TrustAnchorTests(ITestOutputHelper output) => _output = output;

        private static AsymmetricCipherKeyPair NewKey()
        {
            var g = new ECKeyPairGenerator();
            g.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, Random));
            return g.GenerateKeyPair();
        }

        /// <summary>What a test certificate looks like; the defaults make a proper v3 CA.</summary>
        public sealed class Shape
        {
            public string Subject = "CN=Anchor Test Root";
            public int Version = 3;
            public bool Ski = true;
            public bool? Ca = true;
            public bool BcCritical = true;
            public int? KeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage.KeyCertSign | Org.BouncyCastle.Asn1.X509.KeyUsage.CrlSign;
            public bool AkiKeyId = true;
            public bool AkiIssuerSerial;
            public string? Dns;
            public bool ServerAuth;
        }

        private static Certificate Make(Shape s, AsymmetricCipherKeyPair key, Certificate? issuer, AsymmetricCipherKeyPair? issuerKey)
        {
            var signer = new Asn1SignatureFactory("SHA256WITHECDSA", (issuerKey ?? key).Private, Random);
            var subject = new X509Name(s.Subject);
            var issuerName = issuer?.Bc.SubjectDN ?? subject;
            var serial = new BigInteger(64, Random).Add(BigInteger.One);
            var notBefore = DateTime.UtcNow.AddDays(-1);
            var notAfter = DateTime.UtcNow.AddDays(30);
            if (s.Version == 1)
            {
                var v1 = new X509V1CertificateGenerator();
                v1.SetSerialNumber(serial);
                v1.SetIssuerDN(issuerName);
                v1.SetSubjectDN(subject);
                v1.SetNotBefore(notBefore);
                v1.SetNotAfter(notAfter);
                v1.SetPublicKey(key.Public);
                return new Certificate(v1.Generate(signer));
            }
            var gen = new X509V3CertificateGenerator();
            gen.SetSerialNumber(serial);
            gen.SetIssuerDN(issuerName);
            gen.SetSubjectDN(subject);
            gen.SetNotBefore(notBefore);
            gen.SetNotAfter(notAfter);
            gen.SetPublicKey(key.Public);
            if (s.Ca.HasValue) gen.AddExtension(X509Extensions.BasicConstraints, s.BcCritical, new BasicConstraints(s.Ca.Value));
            if (s.KeyUsage.HasValue) gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(s.KeyUsage.Value));
            if (s.Ski) gen.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public));
            var issuerSki = issuer == null ? X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public).GetKeyIdentifier() : SkiOf(issuer);
            if ((s.AkiKeyId && issuerSki != null) || s.AkiIssuerSerial)
            {
                var aki = s.AkiIssuerSerial
                    ? new AuthorityKeyIdentifier(s.AkiKeyId ? issuerSki : null, new GeneralNames(new GeneralName(issuerName)), issuer?.Bc.SerialNumber ?? serial)
                    : new AuthorityKeyIdentifier(issuerSki);
                gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, aki);
            }
            if (s.Dns != null) gen.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.DnsName, s.Dns)));
            if (s.ServerAuth) gen.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth));
            return new Certificate(gen.Generate(signer));
        }

        private static byte[]? SkiOf(Certificate c)
        {
            var v = c.Bc.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
            return v == null ? null : Asn1OctetString.GetInstance(Asn1Object.FromByteArray(v.GetOctets())).GetOctets();
        }

        private static Shape Leaf(string dns = "www.anchor.test") => new Shape
        {
            Subject = "CN=" + dns, Ca = false, KeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature, Dns = dns, ServerAuth = true,
        };

        private static ChainValidationResult Validate(Certificate leaf, Certificate root, params Certificate[] intermediates) =>
            ChainValidator.Validate(new ChainValidationRequest(leaf)
            {
                TrustedRoots = new List<Certificate> { root },
                Intermediates = intermediates.ToList(),
                DnsName = leaf.Bc.SubjectDN.GetValueList(X509Name.CN).Cast<string>().First(),
                Purpose = ValidationPurpose.ServerAuth,
            });

        private static string Explain(ChainValidationResult r) =>
            "failures: " + string.Join(" | ", r.Failures.Select(f => f.ToString())) + "; warnings: " + string.Join(" | ", r.Warnings.Select(w => w.ToString()));

        public static IEnumerable<object[]> AnchorShapes() => new[]
        {
            new object[] { "AKI with issuer and serial", new Shape { AkiIssuerSerial = true }, "names an issuer or serial number" },
            new object[] { "AKI without keyIdentifier", new Shape { AkiKeyId = false, AkiIssuerSerial = true }, "authorityKeyIdentifier without keyIdentifier" },
            new object[] { "no SKI", new Shape { Ski = false }, "without subjectKeyIdentifier" },
            new object[] { "non-critical basicConstraints", new Shape { BcCritical = false }, "non-critical basicConstraints" },
            new object[] { "X.509 version 1", new Shape { Version = 1 }, "version 1" },
        };

        [Theory]
        [MemberData(nameof(AnchorShapes))]
        public void AnchorProfileDefect_IsAWarning_NotAFailure(string name, Shape shape, string warning)
        {
            var rootKey = NewKey();
            var root = Make(shape, rootKey, null, null);
            var leaf = Make(Leaf(), NewKey(), root, rootKey);
            var result = Validate(leaf, root);
            Assert.True(result.IsValid, name + ": " + Explain(result));
            Assert.Empty(result.Failures);
            Assert.Contains(result.Warnings, w => w.Certificate == root && w.Message.Contains(warning) && w.Message.Contains("trust anchor"));
            if (SkiOf(root) == null)
                Assert.Contains(result.Warnings, w => w.Certificate == leaf && w.Message.Contains("no authorityKeyIdentifier keyIdentifier"));
            Assert.Contains("warning", result.ToString());
        }

        [Theory]
        [MemberData(nameof(AnchorShapes))]
        public void SameDefectInAnIntermediate_StillFails(string name, Shape shape, string failure)
        {
            if (name == "AKI with issuer and serial") return; // RFC 5280 allows it below a root; not a rule for intermediates
            var rootKey = NewKey();
            var root = Make(new Shape(), rootKey, null, null);
            var interKey = NewKey();
            shape.Subject = "CN=Anchor Test Intermediate";
            var inter = Make(shape, interKey, root, rootKey);
            var leaf = Make(Leaf(), NewKey(), inter, interKey);
            var result = Validate(leaf, root, inter);
            Assert.False(result.IsValid, name);
            Assert.Contains(result.Failures, f => f.Certificate == inter || f.Certificate == leaf);
            string all = string.Join(" | ", result.Failures.Select(f => f.Message));
            Assert.True(all.Contains(failure) || (name == "AKI without keyIdentifier" && all.Contains("no authorityKeyIdentifier keyIdentifier")), name + ": " + Explain(result));
            Assert.DoesNotContain(result.Warnings, w => w.Certificate == inter);
        }

        [Fact]
        public void LeafWithoutAkiKeyId_UnderAnIntermediateWithSki_StillFails()
        {
            var rootKey = NewKey();
            var root = Make(new Shape { Ski = false }, rootKey, null, null);
            var interKey = NewKey();
            var inter = Make(new Shape { Subject = "CN=Anchor Test Intermediate", AkiKeyId = false }, interKey, root, rootKey);
            var leaf = Make(new Shape { Subject = "CN=www.anchor.test", Ca = false, KeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature, Dns = "www.anchor.test", ServerAuth = true, AkiKeyId = false }, NewKey(), inter, interKey);
            var result = Validate(leaf, root, inter);
            Assert.False(result.IsValid);
            Assert.Contains(result.Failures, f => f.Certificate == leaf && f.Message.Contains("no authorityKeyIdentifier keyIdentifier"));
            Assert.Contains(result.Warnings, w => w.Certificate == inter && w.Message.Contains("no authorityKeyIdentifier keyIdentifier"));
        }

        public static IEnumerable<object[]> AnchorLimits() => new[]
        {
            new object[] { "cA false", new Shape { Ca = false }, ValidationCheck.BasicConstraints },
            new object[] { "v3 without basicConstraints", new Shape { Ca = null }, ValidationCheck.BasicConstraints },
            new object[] { "keyUsage without keyCertSign", new Shape { KeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature }, ValidationCheck.KeyUsage },
        };

        [Theory]
        [MemberData(nameof(AnchorLimits))]
        public void WhatTheAnchorSaysAboutItself_StillFails(string name, Shape shape, string check)
        {
            var rootKey = NewKey();
            var root = Make(shape, rootKey, null, null);
            var leaf = Make(Leaf(), NewKey(), root, rootKey);
            var result = Validate(leaf, root);
            Assert.False(result.IsValid, name);
            Assert.Contains(result.Failures, f => f.Certificate == root && f.Check == check);
        }

        [Fact]
        public void ProperChain_HasNoWarnings()
        {
            var rootKey = NewKey();
            var root = Make(new Shape(), rootKey, null, null);
            var result = Validate(Make(Leaf(), NewKey(), root, rootKey), root);
            Assert.True(result.IsValid, Explain(result));
            Assert.Empty(result.Warnings);
        }

        // ---- every root of the OS store, as it ships ----

        private static List<string> OsRootBlocks()
        {
            Assert.True(File.Exists(OsBundle), OsBundle + " is missing: install the OS trust store (apt-get install -y ca-certificates)");
            var text = File.ReadAllText(OsBundle);
            return Regex.Matches(text, "-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", RegexOptions.Singleline).Select(m => m.Value).ToList();
        }

        [Fact]
        public void OsStore_EveryRootReads_AndNoneIsRefusedAsAnAnchorButForExpiry()
        {
            var blocks = OsRootBlocks();
            Assert.True(blocks.Count >= 100, "only " + blocks.Count + " roots in " + OsBundle);
            var problems = new List<string>();
            int expired = 0, withWarnings = 0;
            var warned = new Dictionary<string, List<string>>();
            foreach (var pem in blocks)
            {
                Certificate root;
                try { root = PkiReader.ReadCertificates(pem).Single(); }
                catch (TlsToolsException e) { problems.Add("unreadable: " + e.Message); continue; }

                // Itself as the only certificate, trusted: RFC 5280 rules (Purpose Any).
                var self = ChainValidator.Validate(new ChainValidationRequest(root)
                {
                    TrustedRoots = new List<Certificate> { root },
                    Purpose = ValidationPurpose.Any,
                });
                foreach (var f in self.Failures.Where(f => f.Check != ValidationCheck.Expired))
                    problems.Add(root.Subject + " (alone): " + f);
                if (self.Failures.Any(f => f.Check == ValidationCheck.Expired)) expired++;

                // Its key under the TLS server policy (the twin below carries our key, so this is where the root's own is judged).
                string? weakKey = AlgorithmPolicy.CheckKey(CertInfo.Of(root), ValidationPurpose.ServerAuth);
                if (weakKey != null) problems.Add(root.Subject + ": its key is refused for TLS: " + weakKey);

                // As the anchor of a TLS server chain (the web PKI profile): its twin, the same certificate with a key
                // we hold, issues a leaf; only expiry may fail it, and the warnings are exactly its profile defects.
                var twinKey = SharedKey.Value;
                var twin = Twin(root, twinKey);
                var leaf = LeafUnderTwin(twin, root, twinKey);
                var chain = Validate(leaf, twin);
                foreach (var f in chain.Failures.Where(f => !(f.Check == ValidationCheck.Expired && f.Certificate == twin)))
                    problems.Add(root.Subject + " (as anchor): " + f);
                var expected = ExpectedWarnings(root);
                var got = chain.Warnings.Select(w => WarningKind(w.Message)).OrderBy(x => x).ToList();
                if (!expected.SequenceEqual(got))
                    problems.Add(root.Subject + ": warnings [" + string.Join(", ", got) + "], expected [" + string.Join(", ", expected) + "]");
                if (got.Count > 0)
                {
                    withWarnings++;
                    warned[root.Subject] = got;
                }
            }
            _output.WriteLine(blocks.Count + " roots in " + OsBundle + ": " + expired + " expired now, " + withWarnings + " with anchor warnings");
            foreach (var w in warned) _output.WriteLine("  " + w.Key + ": " + string.Join(", ", w.Value));
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            // The roots the issue names, where this store ships them.
            void Expect(string subjectPart, string kind)
            {
                var hit = warned.Where(w => w.Key.Contains(subjectPart)).ToList();
                if (hit.Count > 0) Assert.Contains(kind, hit[0].Value);
            }
            Expect("Go Daddy Class 2", "aki-issuer-serial");
            Expect("Starfield Class 2", "aki-issuer-serial");
            Expect("CN=Certigna", "aki-issuer-serial");
            Expect("TWCA Global Root CA", "no-ski");
            Expect("Hongkong Post Root CA 1", "no-ski");
        }

        /// <summary>The warnings a root's twin should get, read from the root with BouncyCastle alone (not through CertInfo).</summary>
        private static List<string> ExpectedWarnings(Certificate root)
        {
            var list = new List<string>();
            var bc = root.Bc;
            var critical = bc.GetCriticalExtensionOids() ?? new HashSet<string>();
            if (bc.Version != 3) list.Add("version");
            if (bc.Version < 3) list.Add("no-bc");
            else if (bc.GetExtensionValue(X509Extensions.BasicConstraints) != null && !critical.Contains(X509Extensions.BasicConstraints.Id)) list.Add("bc-noncritical");
            if (SkiOf(root) == null)
            {
                list.Add("no-ski");
                list.Add("leaf-no-aki");
            }
            var akiValue = bc.GetExtensionValue(X509Extensions.AuthorityKeyIdentifier);
            if (akiValue != null)
            {
                var aki = AuthorityKeyIdentifier.GetInstance(Asn1Object.FromByteArray(akiValue.GetOctets()));
                var ski = SkiOf(root);
                if (aki.KeyIdentifier == null) list.Add("aki-no-keyid");
                if (aki.AuthorityCertIssuer != null || aki.AuthorityCertSerialNumber != null) list.Add("aki-issuer-serial");
                if (aki.KeyIdentifier != null && ski != null && !aki.KeyIdentifier.GetOctets().SequenceEqual(ski)) list.Add("aki-ski-mismatch");
            }
            list.Sort();
            return list;
        }

        private static string WarningKind(string message)
        {
            if (message.Contains("X.509 version")) return "version";
            if (message.Contains("basicConstraints missing")) return "no-bc";
            if (message.Contains("non-critical basicConstraints")) return "bc-noncritical";
            if (message.Contains("CA without subjectKeyIdentifier")) return "no-ski";
            if (message.Contains("has no authorityKeyIdentifier keyIdentifier")) return "leaf-no-aki";
            if (message.Contains("authorityKeyIdentifier without keyIdentifier")) return "aki-no-keyid";
            if (message.Contains("names an issuer or serial number")) return "aki-issuer-serial";
            if (message.Contains("differs from its subjectKeyIdentifier")) return "aki-ski-mismatch";
            return "other: " + message;
        }

        /// <summary>The root's to-be-signed part with our public key in place of its own, signed by us: every field and
        /// extension of the root (version, names, validity, AKI, SKI, basicConstraints and their criticality) is kept.</summary>
        private static Certificate Twin(Certificate root, AsymmetricCipherKeyPair key)
        {
            var tbs = Asn1Sequence.GetInstance(root.Bc.CertificateStructure.TbsCertificate.ToAsn1Object());
            int at = tbs[0] is Asn1TaggedObject ? 1 : 0; // [0] version is absent in v1
            var sigAlg = new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256);
            var fields = new Asn1EncodableVector();
            for (int i = 0; i < tbs.Count; i++)
            {
                if (i == at + 1) fields.Add(sigAlg);
                else if (i == at + 5) fields.Add(Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public));
                else fields.Add(tbs[i]);
            }
            var newTbs = new DerSequence(fields);
            var signer = SignerUtilities.GetSigner("SHA256WITHECDSA");
            signer.Init(true, key.Private);
            var bytes = newTbs.GetEncoded(Asn1Encodable.Der);
            signer.BlockUpdate(bytes, 0, bytes.Length);
            var cert = new DerSequence(newTbs, sigAlg, new DerBitString(signer.GenerateSignature()));
            return new Certificate(new X509Certificate(X509CertificateStructure.GetInstance(cert)));
        }

        /// <summary>A TLS server leaf under the twin, as the root's CA would issue it: AKI keyIdentifier = the root's SKI when it
        /// has one, no AKI otherwise; valid now (so an expired root fails as Expired, and only so).</summary>
        private static Certificate LeafUnderTwin(Certificate twin, Certificate root, AsymmetricCipherKeyPair twinKey)
        {
            var key = SharedKey.Value;
            var gen = new X509V3CertificateGenerator();
            gen.SetSerialNumber(new BigInteger(64, Random).Add(BigInteger.One));
            gen.SetIssuerDN(twin.Bc.SubjectDN);
            gen.SetSubjectDN(new X509Name("CN=www.anchor.test"));
            var now = DateTime.UtcNow;
            gen.SetNotBefore(now.AddDays(-1));
            gen.SetNotAfter(now.AddDays(30));
            gen.SetPublicKey(key.Public);
            gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature));
            gen.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth));
            gen.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.DnsName, "www.anchor.test")));
            var ski = SkiOf(root);
            if (ski != null) gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski));
            return new Certificate(gen.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", twinKey.Private, Random)));
        }
    }
}
