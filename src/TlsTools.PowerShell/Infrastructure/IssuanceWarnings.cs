using System.Globalization;
using System.Management.Automation;
using TlsTools.Pki;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>What New-Certificate and New-CaCertificate say when the default validity stopped at the issuer's NotAfter.</summary>
    internal static class IssuanceWarnings
    {
        /// <summary>
        /// A default validity that the issuer cut short by more than a day is a warning (the CA needs renewing soon); a
        /// cut of seconds (an intermediate made right after its root) is only verbose.
        /// </summary>
        public static void WarnIfClamped(Cmdlet cmdlet, Certificate issued, Certificate? issuer, CertificateOptions options, int defaultDays)
        {
            if (issuer == null || !options.ClampToIssuer || issued.NotAfter != issuer.NotAfter) return;
            var days = (issued.NotAfter - issued.NotBefore).TotalDays;
            var text = "The certificate's NotAfter is its issuer's (" + issuer.NotAfter.ToString("u", CultureInfo.InvariantCulture) +
                       ", " + days.ToString("0.#", CultureInfo.InvariantCulture) + " days) instead of the default " + defaultDays +
                       " days: a certificate cannot outlive the CA that signed it. Renew '" + issuer.Subject + "' for longer certificates.";
            if (days < defaultDays - 1) cmdlet.WriteWarning(text);
            else cmdlet.WriteVerbose(text);
        }
    }
}
