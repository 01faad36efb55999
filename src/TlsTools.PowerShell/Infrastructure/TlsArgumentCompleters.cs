using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using TlsTools.Tls;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>Completes a parameter from a fixed list of names (case-insensitive prefix, then substring matches).</summary>
    public abstract class NameListCompleter : IArgumentCompleter
    {
        /// <summary>The names to offer, in the order they are shown.</summary>
        protected abstract IEnumerable<string> Names { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            var names = Names.ToList();
            var matches = names.Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Concat(names.Where(n => !n.StartsWith(word, StringComparison.OrdinalIgnoreCase) && n.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0));
            foreach (var n in matches)
            {
                var text = n.IndexOfAny(new[] { '/', ' ', ',', ';' }) >= 0 ? "'" + n + "'" : n;
                yield return new CompletionResult(text, n, CompletionResultType.ParameterValue, n);
            }
        }
    }

    /// <summary>IANA cipher suite names from the registry (TLS 1.3 and ECDHE suites first).</summary>
    public sealed class TlsCipherSuiteCompleter : NameListCompleter
    {
        protected override IEnumerable<string> Names =>
            TlsRegistry.CipherSuites.All.OrderBy(s => s.IsTls13 ? 0 : s.KeyExchange == "ECDHE" ? 1 : 2).Select(s => s.Name);
    }

    /// <summary>IANA named groups TlsTools can offer (from the registry).</summary>
    public sealed class TlsNamedGroupCompleter : NameListCompleter
    {
        protected override IEnumerable<string> Names => TlsRegistry.NamedGroups.Offerable.Select(g => g.Name);
    }

    /// <summary>IANA signature schemes TlsTools can offer (from the registry).</summary>
    public sealed class TlsSignatureSchemeCompleter : NameListCompleter
    {
        protected override IEnumerable<string> Names => TlsRegistry.SignatureSchemes.Offerable.Select(s => s.Name);
    }

    /// <summary>The TLS versions a handshake can offer, newest first.</summary>
    public sealed class TlsVersionCompleter : NameListCompleter
    {
        protected override IEnumerable<string> Names => new[] { TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10 }.Select(v => v.ToString());
    }

    /// <summary>Common ALPN protocol ids (IANA registry).</summary>
    public sealed class TlsAlpnCompleter : NameListCompleter
    {
        protected override IEnumerable<string> Names => new[] { "h2", "http/1.1", "http/1.0", "h3", "acme-tls/1", "dot", "imap", "pop3", "smtp", "ftp", "xmpp-client", "mqtt", "postgresql" };
    }
}
