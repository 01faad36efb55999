using System;
using System.Collections.Generic;

namespace TlsTools.Validation
{
    /// <summary>One CA's nameConstraints (RFC 5280 4.2.1.10), read strictly: a malformed constraint is reported, not ignored.</summary>
    internal sealed class NameConstraintSet
    {
        public List<GeneralNameValue> Permitted { get; } = new List<GeneralNameValue>();
        public List<GeneralNameValue> Excluded { get; } = new List<GeneralNameValue>();
        public bool Critical { get; private set; }

        public int Count => Permitted.Count + Excluded.Count;

        public static NameConstraintSet Read(byte[] der, bool critical)
        {
            var set = new NameConstraintSet { Critical = critical };
            var seq = Der.ReadSingle(der);
            if (seq.Tag != 0x30) throw new FormatException("nameConstraints is not a SEQUENCE");
            foreach (var part in seq.Children())
            {
                if (part.Tag != 0xA0 && part.Tag != 0xA1)
                    throw new FormatException("nameConstraints holds an element that is neither permittedSubtrees nor excludedSubtrees");
                var target = part.Tag == 0xA0 ? set.Permitted : set.Excluded;
                var subtrees = part.Children();
                if (subtrees.Count == 0) throw new FormatException("a GeneralSubtrees list is empty");
                foreach (var subtree in subtrees)
                {
                    if (subtree.Tag != 0x30) throw new FormatException("a GeneralSubtree is not a SEQUENCE");
                    var fields = subtree.Children();
                    if (fields.Count == 0) throw new FormatException("a GeneralSubtree has no base name");
                    if (fields.Count > 1)
                        throw new FormatException("a GeneralSubtree uses minimum/maximum, which RFC 5280 forbids");
                    var name = GeneralNameValue.Read(fields[0]);
                    string? problem = CheckConstraint(name);
                    if (problem != null) throw new FormatException(problem);
                    target.Add(name);
                }
            }
            if (set.Count == 0) throw new FormatException("nameConstraints has neither permitted nor excluded subtrees");
            return set;
        }

        private static string? CheckConstraint(GeneralNameValue c)
        {
            switch (c.Kind)
            {
                case NameKind.Dns:
                    if (c.Text.Length == 0) return null;
                    return Hostnames.IsValidName(c.Text.ToLowerInvariant()) ? null : "the dNSName constraint '" + c.Text + "' is not a valid domain name";
                case NameKind.Ip:
                    if (c.Octets.Length != 8 && c.Octets.Length != 32) return "an iPAddress constraint is not an address and mask (" + c.Octets.Length + " octets)";
                    int half = c.Octets.Length / 2;
                    bool zeroSeen = false;
                    for (int i = half; i < c.Octets.Length; i++)
                    {
                        for (int bit = 7; bit >= 0; bit--)
                        {
                            bool one = (c.Octets[i] & (1 << bit)) != 0;
                            if (one && zeroSeen) return "the iPAddress constraint " + IpText.Format(Sub(c.Octets, 0, half)) + " has a non-contiguous mask";
                            if (!one) zeroSeen = true;
                        }
                    }
                    return null;
                case NameKind.Email:
                    if (!c.IsAscii) return "an rfc822Name constraint is not ASCII";
                    int at = c.Text.IndexOf('@');
                    if (at >= 0)
                        return c.Text.IndexOf('@', at + 1) < 0 && at > 0 && Hostnames.IsValidName(c.Text.Substring(at + 1).ToLowerInvariant())
                            ? null : "the rfc822Name constraint '" + c.Text + "' is not a valid mailbox";
                    string domain = c.Text.StartsWith(".", StringComparison.Ordinal) ? c.Text.Substring(1) : c.Text;
                    return Hostnames.IsValidName(domain.ToLowerInvariant()) ? null : "the rfc822Name constraint '" + c.Text + "' is not a valid domain";
                case NameKind.Uri:
                    string host = c.Text.StartsWith(".", StringComparison.Ordinal) ? c.Text.Substring(1) : c.Text;
                    return Hostnames.IsValidName(host.ToLowerInvariant()) ? null : "the URI constraint '" + c.Text + "' is not a host or domain";
                default:
                    return null;
            }
        }

        internal static byte[] Sub(byte[] b, int offset, int length)
        {
            var r = new byte[length];
            Buffer.BlockCopy(b, offset, r, 0, length);
            return r;
        }

        /// <summary>Returns null when the name satisfies this CA's constraints, else the reason.</summary>
        public string? Violation(GeneralNameValue name)
        {
            bool anyPermittedOfKind = false;
            bool permitted = false;
            foreach (var c in Permitted)
            {
                if (c.Kind != name.Kind) continue;
                anyPermittedOfKind = true;
                var m = Matches(c, name, excluded: false);
                if (m.Problem != null) return m.Problem;
                if (m.Match) { permitted = true; break; }
            }
            if (anyPermittedOfKind && !permitted)
                return name + " is not within the permitted subtrees";
            foreach (var c in Excluded)
            {
                if (c.Kind != name.Kind) continue;
                var m = Matches(c, name, excluded: true);
                if (m.Problem != null) return m.Problem;
                if (m.Match) return name + " is within the excluded subtree " + c;
            }
            return null;
        }

        private readonly struct MatchResult
        {
            public MatchResult(bool match, string? problem) { Match = match; Problem = problem; }
            public bool Match { get; }
            public string? Problem { get; }
        }

        private static MatchResult Matches(GeneralNameValue c, GeneralNameValue n, bool excluded)
        {
            switch (n.Kind)
            {
                case NameKind.Dns:
                {
                    string name = n.Text.ToLowerInvariant();
                    if (!n.IsAscii || !Hostnames.IsValidPattern(name))
                        return new MatchResult(false, "the dNSName '" + n.Text + "' is malformed, so the name constraints cannot be evaluated");
                    string constraint = c.Text.ToLowerInvariant();
                    if (name.StartsWith("*.", StringComparison.Ordinal))
                    {
                        string rest = name.Substring(2);
                        if (DnsWithin(rest, constraint)) return new MatchResult(true, null);
                        // A wildcard could stand for a name inside an excluded subtree: treat it as excluded (RFC 9525 vs 5280).
                        if (excluded && constraint.EndsWith("." + rest, StringComparison.Ordinal)) return new MatchResult(true, null);
                        return new MatchResult(false, null);
                    }
                    return new MatchResult(DnsWithin(name, constraint), null);
                }
                case NameKind.Ip:
                {
                    if (n.Octets.Length != 4 && n.Octets.Length != 16)
                        return new MatchResult(false, "the iPAddress name " + IpText.Format(n.Octets) + " is not an IPv4 or IPv6 address, so the name constraints cannot be evaluated");
                    if (c.Octets.Length != n.Octets.Length * 2) return new MatchResult(false, null);
                    for (int i = 0; i < n.Octets.Length; i++)
                    {
                        int mask = c.Octets[n.Octets.Length + i];
                        if ((n.Octets[i] & mask) != (c.Octets[i] & mask)) return new MatchResult(false, null);
                    }
                    return new MatchResult(true, null);
                }
                case NameKind.Email:
                {
                    int at = n.Text.IndexOf('@');
                    if (!n.IsAscii || at <= 0 || n.Text.IndexOf('@', at + 1) >= 0 || at == n.Text.Length - 1)
                        return new MatchResult(false, "the rfc822Name '" + n.Text + "' is not a valid mailbox, so the name constraints cannot be evaluated");
                    string local = n.Text.Substring(0, at);
                    string host = n.Text.Substring(at + 1).ToLowerInvariant();
                    int cat = c.Text.IndexOf('@');
                    if (cat >= 0)
                        return new MatchResult(string.Equals(local, c.Text.Substring(0, cat), StringComparison.Ordinal) &&
                                               string.Equals(host, c.Text.Substring(cat + 1).ToLowerInvariant(), StringComparison.Ordinal), null);
                    string ct = c.Text.ToLowerInvariant();
                    if (ct.StartsWith(".", StringComparison.Ordinal)) return new MatchResult(host.EndsWith(ct, StringComparison.Ordinal), null);
                    return new MatchResult(host == ct, null);
                }
                case NameKind.Uri:
                {
                    string? host = UriHost(n.Text);
                    if (host == null) return new MatchResult(false, "the URI '" + n.Text + "' has no host, so the name constraints cannot be evaluated");
                    string ct = c.Text.ToLowerInvariant();
                    if (ct.StartsWith(".", StringComparison.Ordinal)) return new MatchResult(host.EndsWith(ct, StringComparison.Ordinal), null);
                    return new MatchResult(host == ct, null);
                }
                case NameKind.Directory:
                    return new MatchResult(n.Directory != null && c.Directory != null && n.Directory.IsWithin(c.Directory), null);
                default:
                    return new MatchResult(false, "a " + n.Kind + " name is constrained, and TlsTools cannot evaluate constraints of that kind");
            }
        }

        private static bool DnsWithin(string name, string constraint) =>
            constraint.Length == 0 || name == constraint || name.EndsWith("." + constraint, StringComparison.Ordinal);

        private static string? UriHost(string uri)
        {
            int scheme = uri.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0) return null;
            string rest = uri.Substring(scheme + 3);
            int end = rest.IndexOfAny(new[] { '/', '?', '#' });
            if (end >= 0) rest = rest.Substring(0, end);
            int at = rest.LastIndexOf('@');
            if (at >= 0) rest = rest.Substring(at + 1);
            if (rest.StartsWith("[", StringComparison.Ordinal)) return null;
            int colon = rest.IndexOf(':');
            if (colon >= 0) rest = rest.Substring(0, colon);
            rest = rest.ToLowerInvariant();
            return Hostnames.IsValidName(rest) ? rest : null;
        }
    }

    /// <summary>DNS name syntax and RFC 6125 matching.</summary>
    internal static class Hostnames
    {
        /// <summary>A lowercase preferred-syntax name: LDH labels of 1..63 characters, no leading or trailing hyphen, at most 253 characters.</summary>
        public static bool IsValidName(string name)
        {
            if (name.Length == 0 || name.Length > 253) return false;
            int labelStart = 0;
            for (int i = 0; i <= name.Length; i++)
            {
                if (i == name.Length || name[i] == '.')
                {
                    int len = i - labelStart;
                    if (len < 1 || len > 63) return false;
                    if (name[labelStart] == '-' || name[i - 1] == '-') return false;
                    labelStart = i + 1;
                    continue;
                }
                char ch = name[i];
                bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                if (!ok) return false;
            }
            return true;
        }

        /// <summary>A valid name, or "*." followed by a valid name of at least two labels.</summary>
        public static bool IsValidPattern(string name)
        {
            if (name.StartsWith("*.", StringComparison.Ordinal))
            {
                string rest = name.Substring(2);
                return IsValidName(rest) && rest.IndexOf('.') > 0;
            }
            return IsValidName(name);
        }

        /// <summary>Lowercases and drops one trailing dot; null when the result is not a valid DNS name.</summary>
        public static string? NormalizeReference(string name)
        {
            string n = name.Trim().ToLowerInvariant();
            if (n.EndsWith(".", StringComparison.Ordinal)) n = n.Substring(0, n.Length - 1);
            return IsValidName(n) ? n : null;
        }

        /// <summary>RFC 6125 6.4: exact match, or a wildcard that is the whole left-most label standing for exactly one label.</summary>
        public static bool Matches(string presented, bool presentedIsAscii, string reference)
        {
            if (!presentedIsAscii) return false;
            string p = presented.ToLowerInvariant();
            if (p.EndsWith(".", StringComparison.Ordinal)) p = p.Substring(0, p.Length - 1);
            if (!IsValidPattern(p)) return false;
            if (p.StartsWith("*.", StringComparison.Ordinal))
            {
                int dot = reference.IndexOf('.');
                return dot > 0 && string.Equals(reference.Substring(dot + 1), p.Substring(2), StringComparison.Ordinal);
            }
            return string.Equals(p, reference, StringComparison.Ordinal);
        }
    }
}
