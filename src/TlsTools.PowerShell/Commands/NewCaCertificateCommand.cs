using System;
using System.Management.Automation;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Makes a CA certificate: a self-signed root, or an intermediate signed by -Issuer.</summary>
    [Cmdlet(VerbsCommon.New, "CaCertificate", DefaultParameterSetName = DaysSet)]
    [OutputType(typeof(Certificate))]
    public sealed class NewCaCertificateCommand : TlsToolsCmdlet
    {
        private const string DaysSet = "ValidityDays";
        private const string DatesSet = "Dates";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Subject { get; set; } = string.Empty;

        [Parameter]
        public KeyAlgorithm Algorithm { get; set; } = KeyAlgorithm.EcdsaP256;

        /// <summary>Use this key instead of making one ($null is refused: it must not mean "make one").</summary>
        [Parameter]
        [ValidateNotNull]
        public PrivateKey? PrivateKey { get; set; }

        /// <summary>The CA that signs this one (with its private key); without it the certificate is a self-signed root
        /// ($null is refused: it must not mean "self-signed").</summary>
        [Parameter]
        [ValidateNotNull]
        [CertificateInput(Single = true)]
        public Certificate? Issuer { get; set; }

        [Parameter]
        [ValidateRange(0, 100)]
        public int PathLength { get; set; } = -1;

        [Parameter]
        public string[] PermittedDnsName { get; set; } = Array.Empty<string>();

        [Parameter]
        public string[] ExcludedDnsName { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = DaysSet)]
        [ValidateRange(1, 36500)]
        public int ValidityDays { get; set; } = Issuance.DefaultCaValidityDays;

        /// <summary>When the certificate becomes valid; default now. Goes with -NotAfter.</summary>
        [Parameter(ParameterSetName = DatesSet)]
        public DateTime? NotBefore { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = DatesSet)]
        public DateTime NotAfter { get; set; }

        [Parameter]
        public string[] CrlUrl { get; set; } = Array.Empty<string>();

        [Parameter]
        public string[] OcspUrl { get; set; } = Array.Empty<string>();

        [Parameter]
        public string[] CaIssuersUrl { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            try
            {
                var key = ParameterChecks.KeyFor(this, PrivateKey, Algorithm);
                var options = new CertificateOptions
                {
                    Subject = Subject,
                    PathLength = PathLength >= 0 ? PathLength : (int?)null,
                    PermittedDnsNames = PermittedDnsName,
                    ExcludedDnsNames = ExcludedDnsName,
                    CrlDistributionPoints = CrlUrl,
                    OcspUrls = OcspUrl,
                    CaIssuersUrls = CaIssuersUrl,
                    // A validity asked for is refused beyond the issuer's; the default one stops at the issuer's NotAfter.
                    ClampToIssuer = ParameterSetName != DatesSet && !MyInvocation.BoundParameters.ContainsKey(nameof(ValidityDays)),
                };
                if (ParameterSetName == DatesSet)
                {
                    options.NotBefore = NotBefore;
                    options.NotAfter = NotAfter;
                }
                else
                {
                    options.ValidityDays = ValidityDays;
                }
                var ca = Issuance.CreateCa(options, key, Issuer);
                IssuanceWarnings.WarnIfClamped(this, ca, Issuer, options, ValidityDays);
                WriteObject(ca);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, Subject);
            }
        }
    }
}
