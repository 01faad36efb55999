using System.Collections.Generic;
using System.Management.Automation;
using TlsTools.Formats;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Reads PKCS#10 certificate requests (PEM or DER).</summary>
    [Cmdlet(VerbsCommunications.Read, "CertificateRequest", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CertificateRequest))]
    public sealed class ReadCertificateRequestCommand : ReadPkiCommandBase<CertificateRequest>
    {
        protected override string What => "certificate request";

        /// <summary>Each request's key is validated (an RSA modulus costs a full-size exponentiation): several files are read in parallel.</summary>
        protected override bool ReadsInParallel => true;

        protected override IEnumerable<CertificateRequest> Parse(byte[] data, char[]? password) => PkiReader.ReadCertificateRequests(data, StopToken);
    }
}
