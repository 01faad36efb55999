using TlsTools.Pki;

namespace TlsTools.Validation
{
    /// <summary>
    /// Something a certificate of the chain does wrong that does not make the chain fail: profile rules a trust anchor breaks
    /// (a trust anchor is a name and a key, with its name constraints; see <see cref="ChainValidationResult.Warnings"/>).
    /// <see cref="ValidationFinding.Check"/> names the check that would fail on an intermediate.
    /// </summary>
    public sealed class ValidationWarning : ValidationFinding
    {
        public ValidationWarning(Certificate? certificate, string check, string message) : base(certificate, check, message)
        {
        }
    }
}
