using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using TlsTools.Formats;
using TlsTools.Pki;
using Xunit;

namespace TlsTools.Tests.Reliability
{
    /// <summary>One test per defect the mutation fuzzing found, plus the nesting cases the issue names.</summary>
    public class MalformedInputRegressionTests
    {
        private static string ErrorId(Action a)
        {
            var e = Assert.Throws<TlsToolsException>(a);
            Assert.False(string.IsNullOrEmpty(e.ErrorId));
            return e.ErrorId;
        }

        [Fact]
        public void Many_BEGIN_lines_without_END_fail_fast_with_InvalidPem()
        {
            // Was: the PEM regular expression backtracked quadratically, ran into its 5 s timeout and threw RegexMatchTimeoutException.
            var text = string.Concat(Enumerable.Repeat("-----BEGIN CERTIFICATE-----\nMIIB\n", 40_000));
            var sw = Stopwatch.StartNew();
            Assert.Equal("InvalidPem", ErrorId(() => PkiReader.ReadCertificates(Encoding.ASCII.GetBytes(text))));
            Assert.Equal("InvalidPem", ErrorId(() => PkiReader.ReadCrls(Encoding.ASCII.GetBytes(text + "-----END x-----\n"))));
            // The defect showed as RegexMatchTimeoutException (caught above); this bound only guards against a hang.
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), sw.Elapsed.ToString());
        }

        [Fact]
        public void Pem_scanner_keeps_the_block_rules()
        {
            var c = FuzzCorpus.Instance.Leaf;
            // Text around blocks, an invalid BEGIN line, a bad END line before the real one, two blocks.
            var pem = "junk -----BEGIN lower----- -----BEGIN CERTIFICATE-----" + c.ToPem().Substring("-----BEGIN CERTIFICATE-----".Length) + "x\n" + c.ToPem();
            Assert.Equal(2, PkiReader.ReadCertificates(pem).Count);
            var blocks = Pem.Decode("x-----BEGIN A-----\nAQID\n-----END A----- -----BEGIN B-----\nBAU=\n-----END B-----");
            Assert.Equal(new[] { "A", "B" }, blocks.Select(b => b.Label));
            Assert.Equal(new byte[] { 1, 2, 3 }, blocks[0].Data);
            Assert.Equal(new byte[] { 4, 5 }, blocks[1].Data);
            // An END line with a malformed label does not end the block (as before): its text is then not base64.
            Assert.Equal("InvalidPem", ErrorId(() => Pem.Decode("-----BEGIN A-----\nAQID\n-----END x-----\n-----END A-----")));
            Assert.Equal("InvalidPem", ErrorId(() => Pem.Decode("-----BEGIN A-----\nAQID\n-----END B-----")));
            Assert.Equal("InvalidPem", ErrorId(() => Pem.Decode("-----BEGIN " + new string('A', 65) + "-----\nAQID\n-----END " + new string('A', 65) + "-----")));
        }

        [Fact]
        public void A_certificate_with_an_unreadable_key_or_extension_shows_it_instead_of_throwing()
        {
            // Was: the reader returned the certificate (by design: validation reports the problem) but KeyAlgorithm,
            // KeySize, ExtendedKeyUsage, AuthorityKeyIdentifier... threw ArgumentException / CertificateParsingException.
            var der = FuzzCorpus.Instance.Leaf.GetRawData();
            var tlvs = new System.Collections.Generic.List<Tlv>();
            Tlv.Walk(der, 0, der.Length, 0, tlvs);
            // The EC point (the BIT STRING of the SubjectPublicKeyInfo): flip a bit in the middle of it.
            var point = tlvs.First(t => der[t.Start] == 0x03 && t.End - t.ContentStart == 66);
            var bad = (byte[])der.Clone();
            bad[point.ContentStart + 40] ^= 0x01;
            var cert = PkiReader.ReadCertificates(bad).Single();
            Assert.StartsWith("unreadable public key", cert.KeyAlgorithm);
            Assert.Equal(0, cert.KeySize);
            Assert.False(cert.IsSelfSigned);
            Assert.Equal(64, cert.PublicKeySha256.Length);

            // An extension whose value is not what its OID says: every getter answers.
            var eku = tlvs.First(t => der[t.Start] == 0x06 && der.Skip(t.ContentStart).Take(3).SequenceEqual(new byte[] { 0x55, 0x1D, 0x25 }));
            var value = tlvs.First(t => t.Start > eku.Start && der[t.Start] == 0x04);
            var broken = Mutator.Splice(der, value, Mutator.Encode(0x04, new byte[] { 0x02, 0x01, 0x01 }));
            var c2 = PkiReader.ReadCertificates(broken).Single();
            Assert.Empty(c2.ExtendedKeyUsage);
            _ = c2.KeyUsage; _ = c2.SubjectKeyIdentifier; _ = c2.AuthorityKeyIdentifier; _ = c2.PathLength; _ = c2.DnsNames;
        }

        [Fact]
        public void A_crl_with_an_empty_crlNumber_shows_null()
        {
            // Was: NullReferenceException from CertificateRevocationList.CrlNumber (the extension value was empty).
            var der = FuzzCorpus.Instance.Crl.GetRawData();
            var tlvs = new System.Collections.Generic.List<Tlv>();
            Tlv.Walk(der, 0, der.Length, 0, tlvs);
            var oid = tlvs.First(t => der[t.Start] == 0x06 && der.Skip(t.ContentStart).Take(3).SequenceEqual(new byte[] { 0x55, 0x1D, 0x14 }));
            var value = tlvs.First(t => t.Start > oid.Start && der[t.Start] == 0x04);
            var crl = PkiReader.ReadCrls(Mutator.Splice(der, value, new byte[] { 0x04, 0x00 })).Single();
            Assert.Null(crl.CrlNumber);
        }

        [Theory]
        [InlineData(0x7FFFFFFF)]
        [InlineData(4_000_000)]
        [InlineData(300_001)]
        public void Key_derivation_work_is_bounded(int iterations)
        {
            // Was: 4,000,000 PBKDF2 iterations (under BouncyCastle's own cap) kept ReadPrivateKey busy for 10 s; 2^31-1 was
            // reported as WrongPassword.
            var corpus = FuzzCorpus.Instance;
            var value = new System.Numerics.BigInteger(iterations).ToByteArray(isUnsigned: false, isBigEndian: true); // minimal DER INTEGER contents
            foreach (var seed in corpus.Seeds.Where(s => s.Name == "key-enc-der-fast" || s.Name == "pfx"))
            {
                var tlvs = new System.Collections.Generic.List<Tlv>();
                Tlv.Walk(seed.Data, 0, seed.Data.Length, 0, tlvs);
                foreach (var t in tlvs.Where(t => seed.Data[t.Start] == 0x02 && t.End - t.ContentStart == 2))
                {
                    var data = Mutator.Splice(seed.Data, t, Mutator.Encode(0x02, value));
                    var sw = Stopwatch.StartNew();
                    var id = ErrorId(() => PkiReader.ReadPrivateKey(data, FuzzCorpus.Password));
                    // Refusing takes milliseconds; deriving 4,000,000 iterations took 10 s on an idle machine (2^31-1: hours).
                    Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), seed.Name + ": " + sw.Elapsed);
                    Assert.Equal("KdfIterationsTooLarge", id);
                }
            }
        }

        [Fact]
        public void PkiWriter_output_stays_within_the_key_derivation_limits()
        {
            var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var pw = "pw".ToCharArray();
            Assert.NotNull(PkiReader.ReadPrivateKey(PkiWriter.EncodePrivateKey(key, KeyFormat.Der, pw), pw));
            var cert = FuzzCorpus.Instance.Leaf;
            Assert.Single(PkiReader.ReadCertificates(PkiWriter.EncodePfx(new[] { cert }, pw), pw));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Hundred_thousand_nested_sequences_do_not_overflow_the_stack(bool indefinite)
        {
            // BouncyCastle 2.7's Asn1InputStream stops at 64 nested constructions, so no guard of our own is needed: this
            // test keeps it that way (a stack overflow would end the test process).
            var data = indefinite ? Mutator.NestIndefinite(100_000, close: true) : Mutator.Nest(100_000, new byte[] { 5, 0 });
            Assert.Equal("InvalidCertificate", ErrorId(() => PkiReader.ReadCertificates(data)));
            Assert.Equal("InvalidPrivateKey", ErrorId(() => PkiReader.ReadPrivateKey(data)));
            Assert.Equal("InvalidCertificateRequest", ErrorId(() => PkiReader.ReadCertificateRequests(data)));
            Assert.Equal("InvalidCrl", ErrorId(() => PkiReader.ReadCrls(data)));
            var pem = Encoding.ASCII.GetBytes(Pem.Encode("CERTIFICATE", data));
            Assert.Equal("InvalidCertificate", ErrorId(() => PkiReader.ReadCertificates(pem)));
            // The same bytes as the certificate of a TLS 1.2 Certificate message.
            byte[] U24(int n) => new[] { (byte)(n >> 16), (byte)(n >> 8), (byte)n };
            var body = U24(data.Length + 3).Concat(U24(data.Length)).Concat(data).ToArray();
            var msg = global::TlsTools.Tls.TranscriptDecoder.Decode(global::TlsTools.Tls.Sender.Server, new byte[] { 11 }.Concat(U24(body.Length)).Concat(body).ToArray(), global::TlsTools.Tls.TlsVersion.Tls12);
            Assert.False(string.IsNullOrEmpty(msg.Explanation));
        }
    }
}
