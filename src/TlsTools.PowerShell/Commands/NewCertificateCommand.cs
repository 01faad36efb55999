using System;
using System.Management.Automation;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Issues a leaf certificate from a request or for names, signed by a CA (or self-signed).</summary>
    [Cmdlet(VerbsCommon.New, "Certificate", DefaultParameterSetName = IssuerNamesSet)]
    [OutputType(typeof(Certificate))]
    public sealed class NewCertificateCommand : TlsToolsCmdlet
    {
        private const string IssuerRequestSet = "IssuerRequest";
        private const string IssuerNamesSet = "IssuerNames";
        private const string SelfSignedSet = "SelfSigned";

        /// <summary>The CA that signs, carrying its private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IssuerRequestSet)]
        [Parameter(Mandatory = true, ParameterSetName = IssuerNamesSet)]
        [ValidateNotNull]
        [CertificateInput(Single = true)]
        public Certificate? Issuer { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = SelfSignedSet)]
        public SwitchParameter SelfSigned { get; set; }

        /// <summary>The request to issue for; its signature must verify.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IssuerRequestSet, ValueFromPipeline = true)]
        public CertificateRequest? Request { get; set; }

        [Parameter(Position = 0, ParameterSetName = IssuerNamesSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = SelfSignedSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = IssuerRequestSet)]
        public string? Subject { get; set; }

        [Parameter(ParameterSetName = IssuerNamesSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SelfSignedSet, ValueFromPipelineByPropertyName = true)]
        [Alias("DnsNames")]
        public string[] DnsName { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = IssuerNamesSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SelfSignedSet, ValueFromPipelineByPropertyName = true)]
        [Alias("IpAddresses")]
        public string[] IpAddress { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = IssuerNamesSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SelfSignedSet, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailAddress", "EmailAddresses")]
        public string[] Email { get; set; } = Array.Empty<string>();

        /// <summary>The subject's key; made with -Algorithm when not given ($null is refused: it must not mean "make one").</summary>
        [Parameter(ParameterSetName = IssuerNamesSet)]
        [Parameter(ParameterSetName = SelfSignedSet)]
        [ValidateNotNull]
        public PrivateKey? PrivateKey { get; set; }

        [Parameter(ParameterSetName = IssuerNamesSet)]
        [Parameter(ParameterSetName = SelfSignedSet)]
        public KeyAlgorithm Algorithm { get; set; } = KeyAlgorithm.EcdsaP256;

        [Parameter]
        public CertificateProfile Profile { get; set; } = CertificateProfile.Server;

        [Parameter]
        [ValidateRange(1, 36500)]
        public int ValidityDays { get; set; } = Issuance.DefaultLeafValidityDays;

        [Parameter]
        public DateTime? NotBefore { get; set; }

        [Parameter]
        public DateTime? NotAfter { get; set; }

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
                var options = new CertificateOptions
                {
                    Subject = Subject,
                    DnsNames = DnsName,
                    IpAddresses = IpAddress,
                    EmailAddresses = Email,
                    Profile = Profile,
                    CrlDistributionPoints = CrlUrl,
                    OcspUrls = OcspUrl,
                    CaIssuersUrls = CaIssuersUrl,
                    NotBefore = NotBefore,
                    NotAfter = NotAfter,
                    // A validity asked for is refused beyond the issuer's; the default one stops at the issuer's NotAfter.
                    ClampToIssuer = NotAfter == null && !MyInvocation.BoundParameters.ContainsKey(nameof(ValidityDays)),
                };
                if (NotAfter == null) options.ValidityDays = ValidityDays;
                ParameterChecks.CheckValidity(this);
                var key = Request == null ? ParameterChecks.KeyFor(this, PrivateKey, Algorithm) : null;
                var issuer = SelfSigned ? null : Issuer;
                var leaf = Issuance.CreateLeaf(options, issuer, Request, key);
                IssuanceWarnings.WarnIfClamped(this, leaf, issuer, options, ValidityDays);
                WriteObject(leaf);
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, (object?)Request ?? Subject);
            }
        }
    }
}
