using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using TlsTools.Pki;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Revocation.Online;
using TlsTools.Validation;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Builds and validates a certificate chain (RFC 5280 with the web PKI profile for TLS servers) and explains every
    /// failure. A chain that fails is an answer (IsValid false, with its failures), not an error; inputs that cannot be
    /// read are errors.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CertificateChain", DefaultParameterSetName = NoNameSet)]
    [OutputType(typeof(ChainValidationResult))]
    [OutputType(typeof(bool))]
    public sealed class TestCertificateChainCommand : TlsToolsCmdlet, IDisposable
    {
        private const string NoNameSet = "NoName";
        private const string DnsNameSet = "DnsName";
        private const string IpAddressSet = "IpAddress";
        private const string EmailSet = "Email";

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private PkiInputReader? _reader;
        private List<Certificate> _intermediates = new List<Certificate>();
        private List<Certificate>? _trustedRoots;
        private List<CertificateRevocationList> _crls = new List<CertificateRevocationList>();
        private OnlineSession? _online;

        /// <summary>
        /// The certificate to validate: TlsTools or X509Certificate2 objects, paths (string or FileInfo), PEM text, or an
        /// object with a Certificate or Certificates property. The first certificate is the leaf; the rest of the same
        /// input (a PEM bundle, a handshake's Certificates) count as intermediates.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Certificates")]
        [ValidateNotNull]
        [CertificateInput(SingleFile = true, DeferErrors = true)]
        public object[] Certificate { get; set; } = Array.Empty<object>();

        /// <summary>Untrusted certificates that may complete the path, in any order; unrelated ones are ignored.</summary>
        [Parameter]
        [ValidateNotNull]
        [AllowEmptyCollection]
        [CertificateInput(DeferErrors = true)]
        public object[] Intermediate { get; set; } = Array.Empty<object>();

        /// <summary>The trust anchors; they replace the operating system's store. Without it the system store is used.</summary>
        [Parameter]
        [ValidateNotNull]
        [AllowEmptyCollection]
        [CertificateInput(DeferErrors = true)]
        public object[] TrustedRoot { get; set; } = Array.Empty<object>();

        /// <summary>The host name the leaf must be valid for. Binds from a HostName property (Import-Csv, handshake results).</summary>
        [Parameter(Mandatory = true, ParameterSetName = DnsNameSet, ValueFromPipelineByPropertyName = true)]
        [Alias("HostName")]
        [ValidateNotNullOrEmpty]
        public string DnsName { get; set; } = string.Empty;

        /// <summary>The IP address the leaf must be valid for (subjectAltName iPAddress).</summary>
        [Parameter(Mandatory = true, ParameterSetName = IpAddressSet)]
        [ValidateNotNullOrEmpty]
        public string IpAddress { get; set; } = string.Empty;

        /// <summary>The email address the leaf must be valid for (subjectAltName rfc822Name).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EmailSet)]
        [ValidateNotNullOrEmpty]
        public string Email { get; set; } = string.Empty;

        /// <summary>The time to validate for; default now. A time without a kind is local time, as PowerShell reads it.</summary>
        [Parameter]
        public DateTime? At { get; set; }

        [Parameter]
        public ValidationPurpose Purpose { get; set; } = ValidationPurpose.ServerAuth;

        /// <summary>CRLs to check revocation with: CertificateRevocationList objects or paths.</summary>
        [Parameter]
        [ValidateNotNull]
        [AllowEmptyCollection]
        [CrlInput(DeferErrors = true)]
        public object[] Crl { get; set; } = Array.Empty<object>();

        /// <summary>The most intermediate CAs a path may hold (1 to 64).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int MaxDepth { get; set; } = ChainValidationRequest.DefaultMaxDepth;

        /// <summary>Fetch what is missing: intermediates from AIA caIssuers, OCSP answers, CRLs from distribution points. Without it nothing is fetched.</summary>
        [Parameter]
        public SwitchParameter Online { get; set; }

        /// <summary>What an Unknown or Unavailable revocation answer does: Warn (default; a warning, the chain stays valid) or Fail (check RevocationUnavailable).</summary>
        [Parameter]
        public RevocationFailureAction RevocationFailure { get; set; } = RevocationFailureAction.Warn;

        /// <summary>With -Online: the bound on each fetch, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSeconds { get; set; } = 5;

        /// <summary>Writes only $true or $false per input.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void BeginProcessing()
        {
            // A name that cannot be a certificate's name is a wrong call, not a failed chain.
            try
            {
                if (ParameterSetName == IpAddressSet) Issuance.ParseIpAddress(IpAddress);
                if (ParameterSetName == EmailSet) Issuance.CheckEmail(Email);
            }
            catch (TlsToolsException e)
            {
                Terminate(e);
            }
            _reader = new PkiInputReader(SessionState, ReadFile);
            // The call-wide inputs: one that cannot be read makes the call unusable (never fall back to other trust).
            // Keys are dropped once here, so that the core's per-certificate cache serves every input.
            _intermediates = ReadCallInput(() => _reader.ReadCertificates(Intermediate)).Select(c => c.WithoutPrivateKey()).ToList();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(TrustedRoot)))
                _trustedRoots = ReadCallInput(() => _reader.ReadCertificates(TrustedRoot)).Select(c => c.WithoutPrivateKey()).ToList();
            _crls = ReadCallInput(() => _reader.ReadCrls(Crl));
            // One run: each URL is fetched at most once for the whole pipeline.
            if (Online) _online = new OnlineSession(TimeSpan.FromSeconds(TimeoutSeconds), RevocationFailure);
        }

        protected override void ProcessRecord()
        {
            List<Certificate> given;
            try
            {
                given = _reader!.ReadCertificates(Certificate, singleFile: true);
                if (given.Count == 0)
                    throw new TlsToolsException(ErrorIds.NoCertificate, ErrorKind.InvalidArgument, "No certificate was given to validate.");
            }
            catch (TlsToolsException e)
            {
                Fail(e, TargetOf(Certificate));
                return;
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                Fail(new TlsToolsException(ErrorIds.InvalidCertificate, ErrorKind.InvalidData, "Cannot read the certificate: " + e.Message, e), TargetOf(Certificate));
                return;
            }

            // The result must not carry private keys (it is shown, logged and serialized).
            var leaf = given[0].WithoutPrivateKey();
            var request = new ChainValidationRequest(leaf)
            {
                Intermediates = given.Skip(1).Select(c => c.WithoutPrivateKey()).Concat(_intermediates).Where(c => !c.Equals(leaf)).ToList(),
                TrustedRoots = _trustedRoots,
                At = At?.ToUniversalTime(),
                Purpose = Purpose,
                Crls = _crls,
                MaxDepth = MaxDepth,
                RevocationFailure = RevocationFailure,
            };
            SetReferenceName(request);

            ChainValidationResult result;
            try
            {
                result = _online != null
                    ? OnlineChainValidator.ValidateAsync(request, _online, _cancel.Token).GetAwaiter().GetResult()
                    : ChainValidator.Validate(request, _cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e)
            {
                // The core reports bad chains as results; anything thrown here is a fault, and never a pass.
                Fail(new TlsToolsException(ErrorIds.ValidationFailed, ErrorKind.InvalidOperation,
                    "Validation of '" + leaf.Subject + "' could not be carried out: " + e.Message, e), leaf);
                return;
            }
            WriteObject(Quiet ? (object)result.IsValid : result);
        }

        protected override void StopProcessing() => _cancel.Cancel();

        protected override void EndProcessing()
        {
            _online?.Dispose();
            _online = null;
        }

        public void Dispose()
        {
            _online?.Dispose();
            _cancel.Dispose();
        }

        /// <summary>
        /// The name to check, from the parameter set. A host name that is an IP literal (e.g. a HostName property of
        /// '127.0.0.1') is checked as an IP address: certificates name IPs in iPAddress entries, not dNSName ones.
        /// </summary>
        private void SetReferenceName(ChainValidationRequest request)
        {
            switch (ParameterSetName)
            {
                case DnsNameSet:
                    if (IsIpLiteral(DnsName)) request.IpAddress = DnsName.Trim().Trim('[', ']');
                    else request.DnsName = DnsName;
                    break;
                case IpAddressSet:
                    request.IpAddress = IpAddress;
                    break;
                case EmailSet:
                    request.Email = Email;
                    break;
            }
        }

        private static bool IsIpLiteral(string name)
        {
            string n = name.Trim().Trim('[', ']');
            if (!IPAddress.TryParse(n, out _)) return false;
            return n.IndexOf(':') >= 0 || n.Count(ch => ch == '.') == 3;
        }

        private List<T> ReadCallInput<T>(Func<List<T>> read)
        {
            try
            {
                return read();
            }
            catch (TlsToolsException e)
            {
                Terminate(e);
                throw; // not reached
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                Terminate(new TlsToolsException(ErrorIds.InvalidInput, ErrorKind.InvalidData, e.Message, e));
                throw;
            }
        }

        /// <summary>An unreadable input: an error record; with -Quiet also $false, so that every input gets one answer.</summary>
        private void Fail(TlsToolsException e, object? target)
        {
            WriteFailure(e, target);
            if (Quiet) WriteObject(false);
        }

        private static object? TargetOf(object[] input) => input.Length == 1 ? input[0] : input;
    }
}
