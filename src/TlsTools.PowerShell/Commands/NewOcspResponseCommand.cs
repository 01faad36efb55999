using System;
using System.Management.Automation;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Revocation;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Makes a signed OCSP response offline: a CA (or its delegated responder) says Good, Revoked or Unknown about a
    /// certificate it issued. With -Path the DER is also written, atomically and only over an existing file with -Force.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "OcspResponse", SupportsShouldProcess = true)]
    [OutputType(typeof(OcspResponse))]
    public sealed class NewOcspResponseCommand : TlsToolsCmdlet
    {
        /// <summary>The CA that issued the certificate; it signs the response unless -Responder is given.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public Certificate? Issuer { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public Certificate[] Certificate { get; set; } = Array.Empty<Certificate>();

        [Parameter(Mandatory = true)]
        [ValidateSet(nameof(RevocationStatus.Good), nameof(RevocationStatus.Revoked), nameof(RevocationStatus.Unknown))]
        public RevocationStatus Status { get; set; }

        [Parameter]
        public RevocationReason? RevocationReason { get; set; }

        [Parameter]
        public DateTime? RevocationTime { get; set; }

        [Parameter]
        public DateTime? ThisUpdate { get; set; }

        [Parameter]
        public DateTime? NextUpdate { get; set; }

        /// <summary>A delegated responder certificate (issued by -Issuer, with OCSPSigning, carrying its key) that signs instead of the CA.</summary>
        [Parameter]
        public Certificate? Responder { get; set; }

        [Parameter]
        public OcspHashAlgorithm HashAlgorithm { get; set; } = OcspHashAlgorithm.Sha1;

        [Parameter]
        public string? Path { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var certificate in Certificate)
            {
                if (certificate == null) continue;
                OcspResponse response;
                try
                {
                    response = OcspResponseBuilder.Build(new OcspResponseOptions
                    {
                        Certificate = certificate,
                        Issuer = Issuer,
                        Responder = Responder,
                        Status = Status,
                        RevocationReason = RevocationReason,
                        RevocationTime = RevocationTime?.ToUniversalTime(),
                        ThisUpdate = ThisUpdate?.ToUniversalTime(),
                        NextUpdate = NextUpdate?.ToUniversalTime(),
                        HashAlgorithm = HashAlgorithm,
                    });
                }
                catch (TlsToolsException e)
                {
                    WriteFailure(e, certificate);
                    continue;
                }
                if (Path != null && WriteFileSafely(Path, response.GetRawData(), Force.IsPresent, isPrivate: false,
                        "an OCSP response (" + Status + ") for '" + certificate.Subject + "'") == null && !WhatIfOnly())
                    continue;
                WriteObject(response);
            }
        }

        /// <summary>Under -WhatIf nothing is written, but the response is still made and returned.</summary>
        private bool WhatIfOnly() => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent;
    }
}
