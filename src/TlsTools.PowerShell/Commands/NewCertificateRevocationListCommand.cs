using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Makes a CRL signed by a CA, listing the certificates (or serial numbers) it revokes.</summary>
    [Cmdlet(VerbsCommon.New, "CertificateRevocationList")]
    [OutputType(typeof(CertificateRevocationList))]
    public sealed class NewCertificateRevocationListCommand : TlsToolsCmdlet
    {
        private readonly List<(string, DateTime, RevocationReason?)> _revoked = new List<(string, DateTime, RevocationReason?)>();

        [Parameter(Mandatory = true, Position = 0)]
        [CertificateInput(Single = true)]
        public Certificate? Issuer { get; set; }

        [Parameter(ValueFromPipeline = true)]
        [AllowEmptyCollection]
        [ValidateNotNull]
        [CertificateInput]
        public Certificate[] RevokedCertificate { get; set; } = Array.Empty<Certificate>();

        /// <summary>Serial numbers (hex) to revoke, for certificates you do not have at hand.</summary>
        [Parameter]
        [ValidateNotNull]
        public string[] SerialNumber { get; set; } = Array.Empty<string>();

        [Parameter]
        public RevocationReason Reason { get; set; } = RevocationReason.Unspecified;

        [Parameter]
        public DateTime? RevocationDate { get; set; }

        [Parameter]
        public DateTime? ThisUpdate { get; set; }

        [Parameter]
        public DateTime? NextUpdate { get; set; }

        protected override void ProcessRecord()
        {
            var at = (RevocationDate ?? DateTime.UtcNow).ToUniversalTime();
            foreach (var cert in RevokedCertificate)
            {
                if (cert == null) continue;
                if (Issuer != null && !string.Equals(cert.Issuer, Issuer.Subject, StringComparison.Ordinal))
                {
                    WriteFailure(new TlsToolsException(ErrorIds.NotIssuedByIssuer, ErrorKind.InvalidArgument,
                        "'" + cert.Subject + "' was issued by '" + cert.Issuer + "', not by '" + Issuer.Subject + "'; its CRL would not apply."), cert);
                    continue;
                }
                _revoked.Add((cert.SerialNumber, at, Reason));
            }
        }

        protected override void EndProcessing()
        {
            var at = (RevocationDate ?? DateTime.UtcNow).ToUniversalTime();
            _revoked.AddRange(SerialNumber.Select(s => (s.Replace(":", "").Replace(" ", ""), at, (RevocationReason?)Reason)));
            try
            {
                WriteObject(Issuance.CreateCrl(Issuer!, _revoked, ThisUpdate?.ToUniversalTime(), NextUpdate?.ToUniversalTime()));
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, Issuer);
            }
        }
    }
}
