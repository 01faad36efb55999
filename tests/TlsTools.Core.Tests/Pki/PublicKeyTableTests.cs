using System.Collections.Generic;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.Pki.Crypto;
using TlsTools.Tls;
using Xunit;

namespace TlsTools.Tests.Pki
{
    // Alone (SerialCollections.cs): run beside the limbo suite, the table once turned over between two reads of one key
    // and the check of "one object" failed.
    [Collection(ProcessWideKeyTable.Name)]
    public class PublicKeyTableTests
    {
        private static readonly SecureRandom Random = new SecureRandom();

        [Theory]
        [InlineData(KeyAlgorithm.Rsa2048)]
        [InlineData(KeyAlgorithm.EcdsaP256)]
        [InlineData(KeyAlgorithm.Ed25519)]
        public void A_key_is_validated_once_per_process_and_shared_by_every_certificate_that_carries_it(KeyAlgorithm algorithm)
        {
            var key = KeyFactory.Generate(algorithm);
            var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public);
            var first = PublicKeys.Of(spki);
            // Another parse of the same encoding (another probe, another handshake) gets the very same object.
            Assert.Same(first, PublicKeys.Of(SubjectPublicKeyInfo.GetInstance(spki.GetEncoded())));
            Assert.Equal(PublicKeyFactory.CreateKey(spki), first);

            var cert = Issuance.CreateCa(new CertificateOptions { Subject = "CN=shared.test" }, key, null);
            var again = PkiReader.ReadCertificates(cert.GetRawData())[0];
            Assert.Same(cert.PublicKeyParameters, again.PublicKeyParameters);
            Assert.Equal(cert.KeyAlgorithm, again.KeyAlgorithm);
        }

        [Fact]
        public void Every_handshake_certificate_with_the_same_server_key_gives_one_key_object()
        {
            // PlatformVerifier keeps the platform's copy per key object: one object per distinct server key means the key is
            // imported into the platform once, not at every handshake with that server.
            var key = KeyFactory.Generate(KeyAlgorithm.EcdsaP256);
            var cert = Issuance.CreateCa(new CertificateOptions { Subject = "CN=server.test" }, key, null);
            var crypto = new ClientCrypto(Random);
            var first = (BcTlsCertificate)crypto.CreateCertificate(Org.BouncyCastle.Tls.CertificateType.X509, cert.GetRawData());
            var second = (BcTlsCertificate)crypto.CreateCertificate(Org.BouncyCastle.Tls.CertificateType.X509, cert.GetRawData());
            Assert.NotSame(first, second);
            Assert.Same(first.GetPubKeyEC(), second.GetPubKeyEC());
            Assert.True(first.GetPubKeyEC().Q.Equals(((ECPublicKeyParameters)key.Public).Q));
            var otherCert = Issuance.CreateCa(new CertificateOptions { Subject = "CN=other.test" }, KeyFactory.Generate(KeyAlgorithm.EcdsaP256), null);
            var third = (BcTlsCertificate)crypto.CreateCertificate(Org.BouncyCastle.Tls.CertificateType.X509, otherCert.GetRawData());
            Assert.NotSame(first.GetPubKeyEC(), third.GetPubKeyEC());
        }

        [Fact]
        public void A_key_in_use_stays_however_many_other_keys_pass_by_and_an_unused_one_is_dropped()
        {
            SubjectPublicKeyInfo NewKey() => SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(KeyFactory.Generate(KeyAlgorithm.Ed25519).Public);
            var inUse = NewKey();
            var unused = NewKey();
            var inUseKey = PublicKeys.Of(inUse);
            var unusedKey = PublicKeys.Of(unused);
            // A sweep over many servers: far more distinct keys than the table holds, the CA's key among them now and then.
            for (int i = 0; i < 4 * PublicKeys.GenerationSize; i++)
            {
                PublicKeys.Of(NewKey());
                if (i % (PublicKeys.GenerationSize / 2) == 0) Assert.Same(inUseKey, PublicKeys.Of(inUse));
            }
            Assert.Same(inUseKey, PublicKeys.Of(inUse));
            // The key nobody asked for again was let go (the table stays bounded): the next parse is a new object, equal to it.
            var reparsed = PublicKeys.Of(unused);
            Assert.NotSame(unusedKey, reparsed);
            Assert.Equal(unusedKey, reparsed);
        }
    }
}
