using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>What the validator reads from a CRL, parsed once per <see cref="CertificateRevocationList"/>.</summary>
    internal sealed class CrlInfo
    {
        private static readonly ConditionalWeakTable<CertificateRevocationList, CrlInfo> Cache = new ConditionalWeakTable<CertificateRevocationList, CrlInfo>();
        private static readonly HashSet<string> Recognized = new HashSet<string>
        {
            "2.5.29.20", "2.5.29.35", "2.5.29.28", "2.5.29.27", "2.5.29.18", "2.5.29.46",
        };

        private readonly ConcurrentDictionary<string, bool> _signatureBy = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        public static CrlInfo Of(CertificateRevocationList crl) => Cache.GetValue(crl, c => new CrlInfo(c));

        private CrlInfo(CertificateRevocationList crl)
        {
            Crl = crl;
            try { Issuer = DistinguishedName.From(crl.Bc.IssuerDN); }
            catch (Exception e)
            {
                Problems.Add("its issuer name cannot be read (" + e.Message + ")");
                Issuer = DistinguishedName.FromDer(new DerSequence().GetEncoded());
            }
            var exts = crl.Bc.CertificateList.TbsCertList.Extensions;
            bool hasNumber = false;
            if (exts != null)
            {
                foreach (var oid in exts.ExtensionOids)
                {
                    var ext = exts.GetExtension(oid);
                    string id = oid.Id;
                    if (ext.IsCritical && !Recognized.Contains(id)) Problems.Add("it has an unknown critical extension " + id);
                    try
                    {
                        var value = Asn1Object.FromByteArray(ext.Value.GetOctets());
                        switch (id)
                        {
                            case "2.5.29.20":
                                hasNumber = true;
                                DerInteger.GetInstance(value);
                                if (ext.IsCritical) Problems.Add("its cRLNumber extension is critical (RFC 5280 5.2.3 requires non-critical)");
                                break;
                            case "2.5.29.27":
                                IsDelta = true;
                                break;
                            case "2.5.29.35":
                                AkiKeyId = AuthorityKeyIdentifier.GetInstance(value).KeyIdentifier?.GetOctets();
                                break;
                            case "2.5.29.28":
                                var idp = IssuingDistributionPoint.GetInstance(value);
                                OnlyUserCerts = idp.OnlyContainsUserCerts;
                                OnlyCaCerts = idp.OnlyContainsCACerts;
                                OnlyAttributeCerts = idp.OnlyContainsAttributeCerts;
                                if (idp.IsIndirectCrl) Problems.Add("it is an indirect CRL, which TlsTools does not support");
                                break;
                        }
                    }
                    catch (Exception e)
                    {
                        Problems.Add("its extension " + id + " cannot be read (" + e.Message + ")");
                    }
                }
            }
            if (!hasNumber) Problems.Add("it has no cRLNumber extension (RFC 5280 5.2.3 requires one)");
        }

        public CertificateRevocationList Crl { get; }
        public DistinguishedName Issuer { get; }
        public bool IsDelta { get; }
        public byte[]? AkiKeyId { get; }
        public bool OnlyUserCerts { get; }
        public bool OnlyCaCerts { get; }
        public bool OnlyAttributeCerts { get; }
        public List<string> Problems { get; } = new List<string>();

        public bool SignedBy(CertInfo issuer, ref int checks)
        {
            if (_signatureBy.TryGetValue(issuer.SpkiKey, out bool ok)) return ok;
            checks++;
            try { ok = Crl.Bc.IsSignatureValid(issuer.Bc.GetPublicKey()); }
            catch (Exception) { ok = false; }
            _signatureBy[issuer.SpkiKey] = ok;
            return ok;
        }
    }
}
