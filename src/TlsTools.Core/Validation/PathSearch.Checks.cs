using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>The RFC 5280 and web PKI checks of one candidate path: validity, signatures, basic constraints, key usage,
    /// EKU, names, name constraints, algorithms and revocation against the CRLs given.</summary>
    internal sealed partial class PathSearch
    {
        /// <summary>Checks of the leaf alone, added to a failed path so that the answer is complete.</summary>
        private IEnumerable<ValidationFailure> LeafLocalChecks(CertInfo leaf)
        {
            var f = new List<ValidationFailure>();
            CheckValidity(leaf, "leaf '" + leaf.Subject + "'", f);
            CheckNames(leaf, "leaf '" + leaf.Subject + "'", f);
            return f;
        }

        private void CheckValidity(CertInfo c, string who, List<ValidationFailure> f)
        {
            var nb = c.Bc.NotBefore;
            var na = c.Bc.NotAfter;
            if (_at < nb)
                f.Add(new ValidationFailure(c.Certificate, ValidationCheck.NotYetValid, who + " is not valid before " + nb.ToString("u") + " (checked at " + _at.ToString("u") + ")"));
            else if (_at > na)
                f.Add(new ValidationFailure(c.Certificate, ValidationCheck.Expired, who + " expired at " + na.ToString("u") + " (checked at " + _at.ToString("u") + ")"));
        }

        /// <summary>Validates one complete path (leaf first, trust anchor last). Returns its failures; empty means valid.
        /// <paramref name="warnings"/> gets the profile rules the trust anchor breaks (see <see cref="Profile"/>).</summary>
        internal List<ValidationFailure> Evaluate(List<CertInfo> path, bool anchored, out List<ValidationWarning> warnings)
        {
            var f = new List<ValidationFailure>();
            var w = warnings = new List<ValidationWarning>();
            int n = path.Count;

            for (int i = n - 1; i >= 0; i--)
                CheckCertificate(path, i, f, w);

            // RFC 5280 6.1: from the anchor down.
            int maxPathLength = int.MaxValue;
            CertInfo? limitSetBy = null;
            int explicitPolicy = int.MaxValue;
            var constraints = new List<(CertInfo Ca, NameConstraintSet Set)>();
            long constraintWork = 0;
            for (int i = n - 1; i >= 0; i--)
            {
                var c = path[i];
                bool isAnchor = i == n - 1;
                bool isLeaf = i == 0;
                string who = Describe(c, i, n, anchored);

                // Name constraints apply to every certificate below the CA that set them, except self-issued intermediates.
                if (!isAnchor && (isLeaf || !c.SelfIssued) && constraints.Count > 0)
                    CheckNameConstraints(c, who, isLeaf, constraints, ref constraintWork, f);

                // Policy constraints (requireExplicitPolicy only: no initial policy set is requested).
                if (!isAnchor)
                {
                    if (explicitPolicy == 0 && !c.HasCertificatePolicies)
                        f.Add(new ValidationFailure(c.Certificate, ValidationCheck.PolicyConstraints,
                            who + " has no certificatePolicies, but a CA above it requires an explicit policy"));
                    if (!c.SelfIssued && explicitPolicy > 0 && explicitPolicy != int.MaxValue) explicitPolicy--;
                    if (c.RequireExplicitPolicy.HasValue && c.RequireExplicitPolicy.Value < explicitPolicy)
                        explicitPolicy = c.RequireExplicitPolicy.Value;
                }

                if (!isLeaf)
                {
                    CheckCa(c, who, isAnchor, f, w);
                    if (!isAnchor && !c.SelfIssued)
                    {
                        if (maxPathLength <= 0)
                            f.Add(new ValidationFailure(c.Certificate, ValidationCheck.PathLength,
                                who + " is one CA too many: " + (limitSetBy == null ? "the path length" : "'" + limitSetBy.Subject + "'") + " allows no further intermediate CA below it (pathLenConstraint)"));
                        else maxPathLength--;
                    }
                    if (c.PathLen.HasValue && c.PathLen.Value < maxPathLength)
                    {
                        maxPathLength = c.PathLen.Value;
                        limitSetBy = c;
                    }
                    if (c.NameConstraints != null) constraints.Add((c, c.NameConstraints));
                }
                else
                {
                    CheckLeaf(c, who, f);
                }
            }

            if (anchored)
            {
                CheckRevocation(path, f);
                CheckRevocationAnswers(path, f);
            }
            return f;
        }

        /// <summary>
        /// A profile rule (RFC 5280 or CA/B Forum encoding rules): broken by the trust anchor it is a warning, since a trust
        /// anchor is a name and a key with its name constraints (RFC 5280 6.1.1 d; pyca/cryptography relaxed the same rules
        /// after its issue 11461, and Mozilla's store ships such roots); broken by any other certificate it is a failure.
        /// </summary>
        private static void Profile(bool onAnchor, Certificate cert, string check, string message, List<ValidationFailure> f, List<ValidationWarning> w)
        {
            if (onAnchor) w.Add(new ValidationWarning(cert, check, message + "; not held against a trust anchor"));
            else f.Add(new ValidationFailure(cert, check, message));
        }

        private void CheckCertificate(List<CertInfo> path, int i, List<ValidationFailure> f, List<ValidationWarning> w)
        {
            var c = path[i];
            int n = path.Count;
            bool isAnchor = i == n - 1;
            bool isLeaf = i == 0;
            // A certificate issued directly by an anchor without subjectKeyIdentifier cannot name that key in its
            // authorityKeyIdentifier; its missing keyIdentifier is the anchor's doing.
            bool issuedByAnchorWithoutSki = i == n - 2 && !path[n - 1].SkiPresent;
            bool actsAsCa = !isLeaf || c.IsCa;
            string who = Describe(c, i, n, true);
            var cert = c.Certificate;

            foreach (var problem in c.Problems)
                f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " is malformed: " + problem));
            CheckValidity(c, who, f);
            foreach (var oid in c.CriticalUnknown)
                f.Add(new ValidationFailure(cert, ValidationCheck.UnknownCriticalExtension, who + " has a critical extension TlsTools does not know (" + oid + ")"));
            string? weakKey = AlgorithmPolicy.CheckKey(c, _purpose);
            if (weakKey != null) f.Add(new ValidationFailure(cert, ValidationCheck.WeakKey, who + ": " + weakKey));
            if (!isAnchor)
            {
                string? weakAlg = AlgorithmPolicy.CheckSignatureAlgorithm(c.SigAlgOid, _purpose);
                if (weakAlg != null) f.Add(new ValidationFailure(cert, ValidationCheck.WeakAlgorithm, who + " is signed with a weak algorithm: " + weakAlg));
                if (c.Issuer.IsEmpty)
                    f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " has an empty issuer name"));
            }
            if (isAnchor)
            {
                // Trust anchors are trusted by configuration: their serial number and authorityKeyIdentifier are not judged.
            }
            else if (c.Serial.SignValue <= 0)
                f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " has a serial number that is not positive (" + c.Serial + ")"));
            else if (c.SerialOctets > 20)
                f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " has a serial number longer than 20 octets"));
            // A known extension marked critical against the RFC stays a failure, also on an anchor (OpenSSL refuses it as an
            // unhandled critical extension, pyca/cryptography as an incorrect criticality).
            if (c.SkiCritical)
                f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " marks subjectKeyIdentifier critical (RFC 5280 4.2.1.2 forbids it)"));
            if (c.AkiCritical)
                f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " marks authorityKeyIdentifier critical (RFC 5280 4.2.1.1 forbids it)"));
            if (c.AiaCritical)
                f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " marks authorityInfoAccess critical (RFC 5280 4.2.2.1 forbids it)"));
            if (c.Subject.IsEmpty)
            {
                if (actsAsCa)
                    f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " is a CA with an empty subject name"));
                if (c.San == null || !c.SanCritical)
                    f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, who + " has an empty subject, so it needs a critical subjectAltName"));
            }
            if (c.PolicyConstraintsPresent && !c.PolicyConstraintsCritical)
                Profile(isAnchor, cert, ValidationCheck.PolicyConstraints, who + " has a non-critical policyConstraints extension (RFC 5280 4.2.1.11 requires critical)", f, w);
            if (c.NameConstraintsPresent && !(actsAsCa && c.IsCa))
                f.Add(new ValidationFailure(cert, ValidationCheck.NameConstraints, who + " is not a CA but has a nameConstraints extension"));

            if (_web)
            {
                if (c.Version != 3)
                    Profile(isAnchor, cert, ValidationCheck.MalformedCertificate, who + " is an X.509 version " + c.Version + " certificate; TLS server chains must be version 3", f, w);
                if (!c.Subject.IsEmpty && c.SanCritical)
                    Profile(isAnchor, cert, ValidationCheck.MalformedCertificate, who + " marks subjectAltName critical although its subject is not empty", f, w);
                bool selfSigned = c.SelfIssued && c.SignedBy(c, ref _signatureChecks);
                if (actsAsCa && !c.SkiPresent)
                    Profile(isAnchor, cert, ValidationCheck.MalformedCertificate, who + " is a CA without subjectKeyIdentifier (RFC 5280 4.2.1.2)", f, w);
                if (!isAnchor && !selfSigned && (!c.AkiPresent || c.AkiKeyId == null))
                {
                    string message = who + " has no authorityKeyIdentifier keyIdentifier (RFC 5280 4.2.1.1)";
                    if (issuedByAnchorWithoutSki)
                        w.Add(new ValidationWarning(cert, ValidationCheck.MalformedCertificate,
                            message + "; not held against it, since its issuer, the trust anchor '" + path[n - 1].Subject + "', has no subjectKeyIdentifier to name"));
                    else f.Add(new ValidationFailure(cert, ValidationCheck.MalformedCertificate, message));
                }
                if (c.AkiPresent && c.AkiKeyId == null && selfSigned)
                    Profile(isAnchor, cert, ValidationCheck.MalformedCertificate, who + " has an authorityKeyIdentifier without keyIdentifier", f, w);
                if (selfSigned && c.AkiPresent && c.AkiHasIssuerOrSerial)
                    Profile(isAnchor, cert, ValidationCheck.MalformedCertificate, who + " is a root whose authorityKeyIdentifier names an issuer or serial number", f, w);
                if (selfSigned && c.AkiKeyId != null && c.Ski != null && !Org.BouncyCastle.Utilities.Arrays.AreEqual(c.AkiKeyId, c.Ski))
                    Profile(isAnchor, cert, ValidationCheck.MalformedCertificate, who + " is self-signed, but its authorityKeyIdentifier differs from its subjectKeyIdentifier", f, w);
            }
        }

        /// <summary>What every issuer must be. On the trust anchor, a non-critical basicConstraints, and none at all in an X.509
        /// version 1 anchor (which has no extensions), are warnings; a version 3 anchor without basicConstraints, one that says
        /// cA is false, a keyUsage without keyCertSign and an extendedKeyUsage without the purpose fail as anywhere else (the
        /// last three are limits the anchor sets on itself; OpenSSL refuses a v3 root without basicConstraints too).</summary>
        private void CheckCa(CertInfo c, string who, bool isAnchor, List<ValidationFailure> f, List<ValidationWarning> w)
        {
            var cert = c.Certificate;
            if (!c.BasicConstraintsPresent)
                Profile(isAnchor && c.Version < 3, cert, ValidationCheck.BasicConstraints, who + " is not a CA: basicConstraints missing", f, w);
            else if (!c.IsCa)
                f.Add(new ValidationFailure(cert, ValidationCheck.BasicConstraints, who + " is not a CA: basicConstraints cA is false"));
            else if (_web && !c.BasicConstraintsCritical)
                Profile(isAnchor, cert, ValidationCheck.BasicConstraints, who + " has a non-critical basicConstraints extension (RFC 5280 4.2.1.9 requires critical in CA certificates)", f, w);
            if (c.KeyUsage != null && !c.HasKeyUsage(5))
                f.Add(new ValidationFailure(cert, ValidationCheck.KeyUsage, who + " may not sign certificates: its keyUsage lacks keyCertSign"));
            string? purposeOid = PurposeOid();
            if (purposeOid != null && c.Eku != null && !c.Eku.Contains(purposeOid) && !c.Eku.Contains(AlgorithmPolicy.AnyEkuOid))
                f.Add(new ValidationFailure(cert, ValidationCheck.ExtendedKeyUsage,
                    who + " limits its extendedKeyUsage to " + string.Join(", ", c.Eku.Select(EkuName)) + ", which does not include " + EkuName(purposeOid)));
        }

        private string? PurposeOid() =>
            _purpose == ValidationPurpose.ServerAuth ? AlgorithmPolicy.ServerAuthOid :
            _purpose == ValidationPurpose.ClientAuth ? AlgorithmPolicy.ClientAuthOid : null;

        private static string EkuName(string oid)
        {
            switch (oid)
            {
                case AlgorithmPolicy.ServerAuthOid: return "serverAuth";
                case AlgorithmPolicy.ClientAuthOid: return "clientAuth";
                case AlgorithmPolicy.AnyEkuOid: return "anyExtendedKeyUsage";
                case "1.3.6.1.5.5.7.3.3": return "codeSigning";
                case "1.3.6.1.5.5.7.3.4": return "emailProtection";
                case "1.3.6.1.5.5.7.3.8": return "timeStamping";
                case "1.3.6.1.5.5.7.3.9": return "OCSPSigning";
                default: return oid;
            }
        }

        private void CheckLeaf(CertInfo c, string who, List<ValidationFailure> f)
        {
            var cert = c.Certificate;
            if (c.HasKeyUsage(5) && !c.IsCa)
                f.Add(new ValidationFailure(cert, ValidationCheck.KeyUsage, who + " asserts keyCertSign but is not a CA (basicConstraints cA is not set)"));
            if (_web && c.IsCa)
                f.Add(new ValidationFailure(cert, ValidationCheck.BasicConstraints, who + " is a CA certificate (cA=TRUE) used as a TLS server certificate"));
            if (c.KeyUsage != null && _request.RequiredKeyUsage != KeyUsageFlags.None)
            {
                for (int bit = 0; bit < 9; bit++)
                {
                    var flag = (KeyUsageFlags)(1 << bit);
                    if ((_request.RequiredKeyUsage & flag) != 0 && !c.HasKeyUsage(bit))
                        f.Add(new ValidationFailure(cert, ValidationCheck.KeyUsage, who + " lacks the keyUsage " + flag + " that is required"));
                }
            }
            string? purposeOid = PurposeOid();
            if (purposeOid != null && c.Eku != null)
            {
                bool ok = c.Eku.Contains(purposeOid) || (!_web && c.Eku.Contains(AlgorithmPolicy.AnyEkuOid));
                if (!ok)
                    f.Add(new ValidationFailure(cert, ValidationCheck.ExtendedKeyUsage,
                        who + " is for " + string.Join(", ", c.Eku.Select(EkuName)) + ", not " + EkuName(purposeOid)));
                else if (_web && c.EkuCritical)
                    f.Add(new ValidationFailure(cert, ValidationCheck.ExtendedKeyUsage, who + " marks extKeyUsage critical, which TLS server certificates must not"));
                else if (_web && c.Eku.Contains(AlgorithmPolicy.AnyEkuOid))
                    f.Add(new ValidationFailure(cert, ValidationCheck.ExtendedKeyUsage, who + " lists anyExtendedKeyUsage, which TLS server certificates must not"));
            }
            CheckNames(c, who, f);
        }

        /// <summary>Host name, IP address and email matching against the subjectAltName (RFC 6125; no common-name fallback).</summary>
        private void CheckNames(CertInfo c, string who, List<ValidationFailure> f)
        {
            var cert = c.Certificate;
            var san = c.San ?? new List<GeneralNameValue>();
            if (_request.DnsName != null)
            {
                string? reference = Hostnames.NormalizeReference(_request.DnsName);
                if (reference == null)
                    f.Add(new ValidationFailure(cert, ValidationCheck.HostnameMismatch, "'" + _request.DnsName + "' is not a valid DNS name to check " + who + " against"));
                else if (c.San == null)
                    f.Add(new ValidationFailure(cert, ValidationCheck.HostnameMismatch, who + " has no subjectAltName, so it is valid for no host name (the common name is not used)"));
                else if (!san.Any(n => n.Kind == NameKind.Dns && Hostnames.Matches(n.Text, n.IsAscii, reference)))
                    f.Add(new ValidationFailure(cert, ValidationCheck.HostnameMismatch,
                        who + " is not valid for '" + reference + "' (its DNS names: " + NamesOf(san, NameKind.Dns) + ")"));
            }
            if (_request.IpAddress != null)
            {
                if (!IPAddress.TryParse(_request.IpAddress.Trim(), out var ip))
                    f.Add(new ValidationFailure(cert, ValidationCheck.IpMismatch, "'" + _request.IpAddress + "' is not an IP address"));
                else
                {
                    var bytes = ip.GetAddressBytes();
                    if (!san.Any(n => n.Kind == NameKind.Ip && Org.BouncyCastle.Utilities.Arrays.AreEqual(n.Octets, bytes)))
                        f.Add(new ValidationFailure(cert, ValidationCheck.IpMismatch,
                            who + " is not valid for IP address " + ip + " (its IP addresses: " + NamesOf(san, NameKind.Ip) + ")"));
                }
            }
            if (_request.Email != null)
            {
                string email = _request.Email.Trim();
                int at = email.LastIndexOf('@');
                bool match = at > 0 && san.Any(n => n.Kind == NameKind.Email && n.IsAscii && EmailEquals(n.Text, email));
                if (!match)
                    f.Add(new ValidationFailure(cert, ValidationCheck.EmailMismatch,
                        who + " is not valid for email address '" + email + "' (its email addresses: " + NamesOf(san, NameKind.Email) + ")"));
            }
            if (_web && c.San != null)
            {
                foreach (var cn in c.Subject.CommonNames)
                {
                    string? problem = CommonNameProblem(cn, san);
                    if (problem != null)
                        f.Add(new ValidationFailure(cert, ValidationCheck.HostnameMismatch, who + " has the common name '" + cn + "', which " + problem));
                }
            }
        }

        /// <summary>
        /// CA/B Forum 7.1.4.3 asks that a common name repeat a subjectAltName entry character for character. TlsTools never
        /// matches host names against the common name, and does not require the common name to be in the subjectAltName
        /// (many valid certificates, including x509-limbo's and BetterTLS', carry another one); it refuses only a common
        /// name that is plainly an inconsistent spelling of a name: an IP address not in its canonical form (dotted decimal,
        /// RFC 5952), a DNS name that differs from an entry only in letter case, and a
        /// host name in Unicode instead of A-labels.
        /// </summary>
        private static string? CommonNameProblem(string cn, List<GeneralNameValue> san)
        {
            if (cn.Length == 0) return null;
            foreach (char ch in cn) if (char.IsWhiteSpace(ch)) return null;
            bool ascii = true;
            foreach (char ch in cn) if (ch > 0x7E) ascii = false;
            if (!ascii)
                return cn.IndexOf('.') >= 0 ? "is a Unicode host name; certificates must spell host names as A-labels (xn--)" : null;
            if (IsIpLike(cn))
            {
                bool canonical = IPAddress.TryParse(cn, out var parsed) && string.Equals(parsed.ToString(), cn, StringComparison.Ordinal);
                return canonical ? null : "looks like an IP address but is not written in canonical form (dotted decimal without leading zeros, RFC 5952 for IPv6)";
            }
            foreach (var n in san)
            {
                if (n.Kind == NameKind.Dns && !string.Equals(n.Text, cn, StringComparison.Ordinal) && string.Equals(n.Text, cn, StringComparison.OrdinalIgnoreCase))
                    return "differs from the subjectAltName entry '" + n.Text + "' in letter case";
            }
            return null;
        }

        private static bool IsIpLike(string cn)
        {
            if (cn.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && cn.Length > 2)
                return cn.Substring(2).All(Uri.IsHexDigit);
            if (cn.IndexOf(':') >= 0)
                return cn.All(ch => Uri.IsHexDigit(ch) || ch == ':' || ch == '.');
            int dots = cn.Count(ch => ch == '.');
            return dots == 3 && cn.All(ch => (ch >= '0' && ch <= '9') || ch == '.');
        }

        private static bool EmailEquals(string presented, string reference)
        {
            int a = presented.LastIndexOf('@');
            int b = reference.LastIndexOf('@');
            if (a <= 0 || b <= 0) return false;
            return string.Equals(presented.Substring(0, a), reference.Substring(0, b), StringComparison.Ordinal) &&
                   string.Equals(presented.Substring(a + 1), reference.Substring(b + 1), StringComparison.OrdinalIgnoreCase);
        }

        private static string NamesOf(List<GeneralNameValue> san, NameKind kind)
        {
            var names = san.Where(n => n.Kind == kind).Select(n => kind == NameKind.Ip ? IpText.Format(n.Octets) : n.Text).Take(10).ToList();
            return names.Count == 0 ? "none" : string.Join(", ", names);
        }

        /// <summary>The limit on names × constraints per path (quadratic work, as in OpenSSL's check).</summary>
        private const long MaxConstraintComparisons = 1 << 20;

        private void CheckNameConstraints(CertInfo c, string who, bool isLeaf, List<(CertInfo Ca, NameConstraintSet Set)> constraints,
            ref long work, List<ValidationFailure> f)
        {
            var names = new List<GeneralNameValue>();
            if (!c.Subject.IsEmpty) names.Add(new GeneralNameValue { Kind = NameKind.Directory, Directory = c.Subject });
            foreach (var email in c.Subject.EmailAddresses) names.Add(new GeneralNameValue { Kind = NameKind.Email, Text = email });
            if (c.San != null) names.AddRange(c.San);
            if (isLeaf && (c.San == null || !c.San.Any(n => n.Kind == NameKind.Dns || n.Kind == NameKind.Ip)))
            {
                // No DNS/IP subjectAltName: a host-name-like common name is constrained like a dNSName.
                foreach (var cn in c.Subject.CommonNames)
                {
                    string lower = cn.ToLowerInvariant();
                    if (Hostnames.IsValidPattern(lower)) names.Add(new GeneralNameValue { Kind = NameKind.Dns, Text = lower });
                }
            }
            foreach (var (ca, set) in constraints)
            {
                work += (long)names.Count * set.Count;
                if (work > MaxConstraintComparisons)
                {
                    f.Add(new ValidationFailure(c.Certificate, ValidationCheck.WorkLimitExceeded,
                        "checking the names of " + who + " against the name constraints above it needs more than " + MaxConstraintComparisons + " comparisons; refused as a denial of service"));
                    return;
                }
                foreach (var name in names)
                {
                    string? violation = set.Violation(name);
                    if (violation != null)
                    {
                        f.Add(new ValidationFailure(c.Certificate, ValidationCheck.NameConstraints,
                            who + " violates the name constraints of '" + ca.Subject + "': " + violation));
                        break;
                    }
                }
            }
        }

        private void CheckRevocation(List<CertInfo> path, List<ValidationFailure> f)
        {
            if (_crls.Count == 0) return;
            for (int i = 0; i < path.Count - 1; i++)
            {
                var c = path[i];
                var issuer = path[i + 1];
                string who = Describe(c, i, path.Count, true);
                foreach (var crl in _crls)
                {
                    if (crl.IsDelta || crl.Issuer.Key != c.Issuer.Key) continue;
                    if (crl.OnlyAttributeCerts || (crl.OnlyCaCerts && !c.IsCa) || (crl.OnlyUserCerts && c.IsCa)) continue;
                    string crlName = "the CRL of '" + issuer.Subject + "' (thisUpdate " + crl.Crl.ThisUpdate.ToString("u") + ")";
                    if (!crl.SignedBy(issuer, ref _signatureChecks))
                    {
                        if (crl.AkiKeyId != null && issuer.Ski != null && Org.BouncyCastle.Utilities.Arrays.AreEqual(crl.AkiKeyId, issuer.Ski))
                            f.Add(new ValidationFailure(c.Certificate, ValidationCheck.CrlInvalid, crlName + " has a signature that does not verify; revocation of " + who + " cannot be checked"));
                        continue; // another CA with the same name
                    }
                    var problems = new List<string>(crl.Problems);
                    if (issuer.KeyUsage != null && !issuer.HasKeyUsage(6)) problems.Add("its issuer's keyUsage lacks cRLSign");
                    if (crl.Crl.Bc.ThisUpdate > _at) problems.Add("it is not valid before " + crl.Crl.Bc.ThisUpdate.ToString("u"));
                    var next = crl.Crl.Bc.NextUpdate;
                    if (next.HasValue && next.Value < _at) problems.Add("it is out of date (nextUpdate " + next.Value.ToString("u") + ")");
                    var algProblem = AlgorithmPolicy.CheckSignatureAlgorithm(crl.Crl.Bc.SigAlgOid, _purpose);
                    if (algProblem != null) problems.Add("it is signed with a weak algorithm (" + algProblem + ")");
                    if (problems.Count > 0)
                    {
                        f.Add(new ValidationFailure(c.Certificate, ValidationCheck.CrlInvalid,
                            crlName + " cannot be used (" + string.Join("; ", problems) + "), so revocation of " + who + " cannot be checked"));
                        continue;
                    }
                    var entry = crl.Crl.Bc.GetRevokedCertificate(c.Serial);
                    NoteCrl(c, issuer, crl, entry);
                    if (entry != null)
                    {
                        string reason = "";
                        var r = crl.Crl.RevokedCertificates.FirstOrDefault(e => string.Equals(e.SerialNumber, c.Certificate.SerialNumber, StringComparison.OrdinalIgnoreCase));
                        if (r?.Reason != null) reason = ", reason " + r.Reason;
                        f.Add(new ValidationFailure(c.Certificate, ValidationCheck.Revoked,
                            who + " (serial " + c.Certificate.SerialNumber + ") was revoked at " + entry.RevocationDate.ToUniversalTime().ToString("u") + reason + " by " + crlName));
                    }
                }
            }
        }
    }
}
