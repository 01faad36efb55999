using System;
using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>
    /// Something a certificate in the chain does wrong that does not make the chain fail: today, profile rules a trust anchor
    /// breaks (a trust anchor is a name and a key, with its name constraints; see <see cref="ChainValidationResult.Warnings"/>).
    /// </summary>
    public sealed class ValidationWarning
    {
        public ValidationWarning(Certificate? certificate, string check, string message)
        {
            Certificate = certificate;
            Check = check ?? throw new ArgumentNullException(nameof(check));
            Message = message ?? throw new ArgumentNullException(nameof(message));
        }

        /// <summary>The certificate the warning is about, or null when it is about the chain as a whole.</summary>
        public Certificate? Certificate { get; }

        /// <summary>A stable name from <see cref="ValidationCheck"/>: the check that would fail on an intermediate.</summary>
        public string Check { get; }

        /// <summary>Plain words, naming the certificate.</summary>
        public string Message { get; }

        public override string ToString() => Check + ": " + Message;
    }
}
