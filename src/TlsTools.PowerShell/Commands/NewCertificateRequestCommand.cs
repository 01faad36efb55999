using System;
using System.Management.Automation;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Makes a PKCS#10 certificate request; makes a key too when none is given.</summary>
    [Cmdlet(VerbsCommon.New, "CertificateRequest")]
    [OutputType(typeof(CertificateRequest))]
    public sealed class NewCertificateRequestCommand : TlsToolsCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? Subject { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DnsNames")]
        public string[] DnsName { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("IpAddresses")]
        public string[] IpAddress { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("EmailAddress", "EmailAddresses")]
        public string[] Email { get; set; } = Array.Empty<string>();

        /// <summary>The key to request a certificate for; made with -Algorithm when not given.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public PrivateKey? PrivateKey { get; set; }

        [Parameter]
        public KeyAlgorithm Algorithm { get; set; } = KeyAlgorithm.EcdsaP256;

        protected override void ProcessRecord()
        {
            try
            {
                var key = ParameterChecks.KeyFor(this, PrivateKey, Algorithm);
                WriteObject(Issuance.CreateRequest(new RequestOptions
                {
                    Subject = Subject,
                    DnsNames = DnsName,
                    IpAddresses = IpAddress,
                    EmailAddresses = Email,
                }, key));
            }
            catch (TlsToolsException e)
            {
                WriteFailure(e, Subject);
            }
        }
    }
}
