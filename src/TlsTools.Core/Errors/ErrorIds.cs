using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Reflection;

namespace TlsTools
{
    /// <summary>
    /// Every stable ErrorId TlsTools reports, in one place: the core's <see cref="TlsToolsException"/>s, the handshake
    /// and scan results' ErrorId, and the module's ErrorRecords all use these constants. Scripts depend on the names, so a
    /// name never changes once shipped. The help topic about_TlsTools_ErrorIds is generated from this class at build
    /// (module/Build-Help.ps1 reads <see cref="All"/>), and a test fails any ErrorId literal outside it.
    /// </summary>
    public static class ErrorIds
    {
        [Description("A wildcard path matched more than one file where one file is expected.")]
        public const string AmbiguousPath = nameof(AmbiguousPath);

        [Description("The certificate carries no private key, and the operation needs one.")]
        public const string CertificateHasNoKey = nameof(CertificateHasNoKey);

        [Description("The operation (e.g. a TLS server) needs a certificate and none was given.")]
        public const string CertificateRequired = nameof(CertificateRequired);

        [Description("The client certificate given for a handshake carries no private key.")]
        public const string ClientCertificateHasNoKey = nameof(ClientCertificateHasNoKey);

        [Description("Name lookup and TCP connect did not finish within the connect timeout.")]
        public const string ConnectTimeout = nameof(ConnectTimeout);

        [Description("The server closed the connection before the handshake completed.")]
        public const string ConnectionClosed = nameof(ConnectionClosed);

        [Description("Nothing listens on the target port: the connection was refused.")]
        public const string ConnectionRefused = nameof(ConnectionRefused);

        [Description("The server reset the connection during the connect or the handshake.")]
        public const string ConnectionReset = nameof(ConnectionReset);

        [Description("DER output holds one certificate; several were given (use PEM or PKCS#7).")]
        public const string DerHoldsOneCertificate = nameof(DerHoldsOneCertificate);

        [Description("The folder of the output path does not exist.")]
        public const string DirectoryNotFound = nameof(DirectoryNotFound);

        [Description("The input is empty.")]
        public const string EmptyInput = nameof(EmptyInput);

        [Description("The handshake result has no transcript to draw.")]
        public const string EmptyTranscript = nameof(EmptyTranscript);

        [Description("The output file exists; -Force replaces it.")]
        public const string FileExists = nameof(FileExists);

        [Description("The TLS handshake failed for a reason not covered by a more specific id.")]
        public const string HandshakeFailed = nameof(HandshakeFailed);

        [Description("The TLS handshake did not complete within the timeout.")]
        public const string HandshakeTimeout = nameof(HandshakeTimeout);

        [Description("The host name could not be resolved.")]
        public const string HostNotFound = nameof(HostNotFound);

        [Description("The input exceeds the size limit.")]
        public const string InputTooLarge = nameof(InputTooLarge);

        [Description("The data is not a readable X.509 certificate.")]
        public const string InvalidCertificate = nameof(InvalidCertificate);

        [Description("The data is not a readable PKCS#10 certificate request.")]
        public const string InvalidCertificateRequest = nameof(InvalidCertificateRequest);

        [Description("A probe ClientHello cannot be built (too many suites or extensions too long).")]
        public const string InvalidClientHello = nameof(InvalidClientHello);

        [Description("A concurrency bound (-ThrottleLimit) is out of range.")]
        public const string InvalidConcurrency = nameof(InvalidConcurrency);

        [Description("The data is not a readable certificate revocation list.")]
        public const string InvalidCrl = nameof(InvalidCrl);

        [Description("A DNS name is not valid.")]
        public const string InvalidDnsName = nameof(InvalidDnsName);

        [Description("An e-mail address is not valid.")]
        public const string InvalidEmail = nameof(InvalidEmail);

        [Description("The input is neither a known object, a path nor PEM/DER data.")]
        public const string InvalidInput = nameof(InvalidInput);

        [Description("An IP address is not valid.")]
        public const string InvalidIpAddress = nameof(InvalidIpAddress);

        [Description("The CRL's next update is not after its this update.")]
        public const string InvalidNextUpdate = nameof(InvalidNextUpdate);

        [Description("A path length constraint is negative.")]
        public const string InvalidPathLength = nameof(InvalidPathLength);

        [Description("The PEM text is malformed (bad base64, a BEGIN without its END, an unknown label).")]
        public const string InvalidPem = nameof(InvalidPem);

        [Description("The data is not a readable PFX/PKCS#12 file.")]
        public const string InvalidPfx = nameof(InvalidPfx);

        [Description("The data is not a readable PKCS#7 (P7B) certificate bundle.")]
        public const string InvalidPkcs7 = nameof(InvalidPkcs7);

        [Description("A port is not between 1 and 65535.")]
        public const string InvalidPort = nameof(InvalidPort);

        [Description("The data is not a readable private key.")]
        public const string InvalidPrivateKey = nameof(InvalidPrivateKey);

        [Description("A serial number is not a positive hexadecimal integer.")]
        public const string InvalidSerialNumber = nameof(InvalidSerialNumber);

        [Description("The server name (SNI) is not a valid DNS name.")]
        public const string InvalidServerName = nameof(InvalidServerName);

        [Description("A distinguished name cannot be parsed.")]
        public const string InvalidSubject = nameof(InvalidSubject);

        [Description("The target is not host, host:port, [IPv6]:port or https://host:port/.")]
        public const string InvalidTarget = nameof(InvalidTarget);

        [Description("A timeout is not positive.")]
        public const string InvalidTimeout = nameof(InvalidTimeout);

        [Description("A URL (AIA, CRL distribution point) is not an absolute URL.")]
        public const string InvalidUrl = nameof(InvalidUrl);

        [Description("The validity period is empty or reversed.")]
        public const string InvalidValidity = nameof(InvalidValidity);

        [Description("The issuing CA certificate carries no private key to sign with.")]
        public const string IssuerHasNoPrivateKey = nameof(IssuerHasNoPrivateKey);

        [Description("The issuer is not a CA certificate (basicConstraints CA:TRUE).")]
        public const string IssuerNotCa = nameof(IssuerNotCa);

        [Description("An encrypted key or PFX asks for more key-derivation iterations than the limit.")]
        public const string KdfIterationsTooLarge = nameof(KdfIterationsTooLarge);

        [Description("The handshake succeeded but the key log file could not be written.")]
        public const string KeyLogWriteFailed = nameof(KeyLogWriteFailed);

        [Description("A private key does not belong to the certificate or request it was paired with.")]
        public const string KeyMismatch = nameof(KeyMismatch);

        [Description("The private key cannot be exported.")]
        public const string KeyNotExportable = nameof(KeyNotExportable);

        [Description("The key type has no .NET X509Certificate2 counterpart.")]
        public const string KeyNotSupportedByDotNet = nameof(KeyNotSupportedByDotNet);

        [Description("A handshake message is malformed.")]
        public const string MalformedHandshakeMessage = nameof(MalformedHandshakeMessage);

        [Description("The server sent a message that cannot be parsed.")]
        public const string MalformedServerMessage = nameof(MalformedServerMessage);

        [Description("The pipeline mixed text and bytes; send one kind.")]
        public const string MixedInput = nameof(MixedInput);

        [Description("A certificate needs a subject or at least one subject alternative name.")]
        public const string NameRequired = nameof(NameRequired);

        [Description("A network error other than refusal, reset or timeout.")]
        public const string NetworkError = nameof(NetworkError);

        [Description("The input holds no certificate.")]
        public const string NoCertificate = nameof(NoCertificate);

        [Description("The input holds no certificate request.")]
        public const string NoCertificateRequest = nameof(NoCertificateRequest);

        [Description("The input holds no CRL.")]
        public const string NoCrl = nameof(NoCrl);

        [Description("The input holds no private key.")]
        public const string NoPrivateKey = nameof(NoPrivateKey);

        [Description("The path is not on the file system provider.")]
        public const string NotAFileSystemPath = nameof(NotAFileSystemPath);

        [Description("The certificate was not issued by the given issuer.")]
        public const string NotIssuedByIssuer = nameof(NotIssuedByIssuer);

        [Description("The file is encrypted and no -Password was given.")]
        public const string PasswordRequired = nameof(PasswordRequired);

        [Description("The path is a folder, not a file.")]
        public const string PathIsDirectory = nameof(PathIsDirectory);

        [Description("No file exists at the path.")]
        public const string PathNotFound = nameof(PathNotFound);

        [Description("The private key file's permissions (0600) could not be set.")]
        public const string PermissionFailed = nameof(PermissionFailed);

        [Description("A -Port differs from the port written in the target text.")]
        public const string PortConflict = nameof(PortConflict);

        [Description("Start-TlsServer cannot listen on the local port asked for.")]
        public const string PortInUse = nameof(PortInUse);

        [Description("The file could not be read.")]
        public const string ReadFailed = nameof(ReadFailed);

        [Description("The certificate request's self-signature does not verify.")]
        public const string RequestSignatureInvalid = nameof(RequestSignatureInvalid);

        [Description("No running TlsTools server matches.")]
        public const string ServerNotFound = nameof(ServerNotFound);

        [Description("The earlier handshake left no resumable session.")]
        public const string SessionNotResumable = nameof(SessionNotResumable);

        [Description("A CA certificate needs a subject.")]
        public const string SubjectRequired = nameof(SubjectRequired);

        [Description("TLS 1.3 sessions cannot be resumed (BouncyCastle 2.7.0 discards tickets).")]
        public const string Tls13ResumptionUnsupported = nameof(Tls13ResumptionUnsupported);

        [Description("The server ended the handshake with a fatal alert.")]
        public const string TlsAlertReceived = nameof(TlsAlertReceived);

        [Description("The client ended the handshake with a fatal alert.")]
        public const string TlsAlertSent = nameof(TlsAlertSent);

        [Description("An unexpected internal failure; the message says what.")]
        public const string UnexpectedFailure = nameof(UnexpectedFailure);

        [Description("An alert name is not in the registry.")]
        public const string UnknownAlert = nameof(UnknownAlert);

        [Description("A cipher suite name is not in the registry.")]
        public const string UnknownCipherSuite = nameof(UnknownCipherSuite);

        [Description("An extension name is not in the registry.")]
        public const string UnknownExtension = nameof(UnknownExtension);

        [Description("A handshake message type name is not in the registry.")]
        public const string UnknownHandshakeType = nameof(UnknownHandshakeType);

        [Description("A named group name is not in the registry.")]
        public const string UnknownNamedGroup = nameof(UnknownNamedGroup);

        [Description("A Start-TlsServer scenario name is unknown.")]
        public const string UnknownScenario = nameof(UnknownScenario);

        [Description("A signature scheme name is not in the registry.")]
        public const string UnknownSignatureScheme = nameof(UnknownSignatureScheme);

        [Description("A TLS version is unknown.")]
        public const string UnknownTlsVersion = nameof(UnknownTlsVersion);

        [Description("An object of this type cannot be read as what the parameter takes.")]
        public const string UnsupportedInput = nameof(UnsupportedInput);

        [Description("This kind of private key is not supported for the operation.")]
        public const string UnsupportedKey = nameof(UnsupportedKey);

        [Description("The key algorithm is not supported.")]
        public const string UnsupportedKeyAlgorithm = nameof(UnsupportedKeyAlgorithm);

        [Description("Certificate validation could not be carried out.")]
        public const string ValidationFailed = nameof(ValidationFailed);

        [Description("The file could not be written; the old file, if any, is unchanged.")]
        public const string WriteFailed = nameof(WriteFailed);

        [Description("The password does not decrypt the file.")]
        public const string WrongPassword = nameof(WrongPassword);

        // Trust anchors and client-certificate checks (issue 11)
        [Description("CRLs were given to check client certificates, but no trusted roots to validate them against (Start-TlsServer -Crl needs -TrustedRoot).")]
        public const string CrlNeedsTrustedRoot = nameof(CrlNeedsTrustedRoot);

        // Issuance limits (issue 11): a CA that cannot issue what was asked
        [Description("The issuing CA's certificate has expired (its NotAfter is past, or before the new certificate's NotBefore).")]
        public const string IssuerExpired = nameof(IssuerExpired);

        [Description("The issuing CA's certificate is not yet valid at the new certificate's NotBefore.")]
        public const string IssuerNotYetValid = nameof(IssuerNotYetValid);

        [Description("The requested NotAfter is later than the issuing CA's NotAfter; the certificate would outlive its issuer.")]
        public const string ValidityBeyondIssuer = nameof(ValidityBeyondIssuer);

        [Description("The issuing CA's path length (basicConstraints pathLenConstraint) allows no further CA below it.")]
        public const string PathLengthExceeded = nameof(PathLengthExceeded);

        // Certificate inputs (issue 15): one transformation for every certificate and CRL parameter
        [Description("A parameter that takes one certificate was given several, none of them (or more than one) with a private key.")]
        public const string MoreThanOneCertificate = nameof(MoreThanOneCertificate);

        // OCSP
        [Description("An OCSP response is not a well-formed DER OCSPResponse (RFC 6960); the message says what is wrong.")]
        public const string OcspResponseMalformed = nameof(OcspResponseMalformed);

        [Description("An OCSP response is larger than the parser accepts (256 KiB).")]
        public const string OcspResponseTooLarge = nameof(OcspResponseTooLarge);

        // Online fetching (-Online: AIA caIssuers, CRL distribution points, OCSP responders)
        [Description("An online fetch (AIA caIssuers, CRL distribution point or OCSP responder) failed: refused, an HTTP error status, too many redirects or an unsupported URL.")]
        public const string OnlineFetchFailed = nameof(OnlineFetchFailed);

        [Description("An online fetch got no complete answer within the per-request timeout.")]
        public const string OnlineFetchTimeout = nameof(OnlineFetchTimeout);

        [Description("An online fetch returned more bytes than the size limit allows; the rest was not read.")]
        public const string OnlineResponseTooLarge = nameof(OnlineResponseTooLarge);

        [Description("What an online fetch returned is not a certificate, CRL or OCSP response that can be read.")]
        public const string OnlineResponseInvalid = nameof(OnlineResponseInvalid);

        // STARTTLS
        [Description("The server does not offer STARTTLS (its capabilities lack it, or it answered 'no'); the message quotes what it said.")]
        public const string StartTlsNotOffered = nameof(StartTlsNotOffered);

        [Description("The server refused the STARTTLS request or turned the connection away before it; the message quotes what it said.")]
        public const string StartTlsRefused = nameof(StartTlsRefused);

        [Description("The server answered out of protocol before TLS (closed, sent too much, or sent data after agreeing to start TLS); the message quotes what it said.")]
        public const string StartTlsProtocolError = nameof(StartTlsProtocolError);

        [Description("A TLS server (Start-TlsServer -StartTls) can speak only SMTP, IMAP and POP3 before TLS.")]
        public const string StartTlsServerUnsupported = nameof(StartTlsServerUnsupported);

        // Rough edges (issue 15): early argument checks, Save-/Read- conventions, non-TLS peers
        [Description("Start-TlsServer was given a cipher suite its certificate's key or its TLS versions cannot serve.")]
        public const string CipherSuiteNotServable = nameof(CipherSuiteNotServable);

        [Description("An ALPN protocol name is empty or longer than 255 bytes.")]
        public const string InvalidAlpn = nameof(InvalidAlpn);

        [Description("Start-TlsServer does not accept this ALPN protocol (h2): it answers in HTTP/1.1 only.")]
        public const string AlpnNotServable = nameof(AlpnNotServable);

        [Description("-Password was given for a file format that holds no password (only PFX does).")]
        public const string PasswordNotUsed = nameof(PasswordNotUsed);

        [Description("A password-protected file (a PFX) was given where no -Password can be given; read it with Read-Certificate -Password and pass the result.")]
        public const string PasswordProtectedInput = nameof(PasswordProtectedInput);

        [Description("Two parameters that exclude each other were given (-ValidityDays with -NotAfter; -PrivateKey with another -Algorithm).")]
        public const string ConflictingParameters = nameof(ConflictingParameters);

        [Description("The server answered with something that is not TLS (another protocol listens on that port).")]
        public const string NotTls = nameof(NotTls);

        // Server assessment: certificates and client certificates (issue 13)
        [Description("The server requires a client certificate: it sent a CertificateRequest and ended the handshake when none was sent; the message names the CAs it asked for. Give one with -ClientCertificate.")]
        public const string ClientCertificateRequired = nameof(ClientCertificateRequired);

        // Assessment: grade, policy and drift (issue 13)
        [Description("A saved server profile cannot be read for comparison: the file is not JSON or Clixml, or the object is not a Get-TlsServerProfile report (no HostName/TlsVersions/CipherSuites).")]
        public const string InvalidProfileData = nameof(InvalidProfileData);

        private static readonly Lazy<IReadOnlyList<KeyValuePair<string, string>>> AllIds = new Lazy<IReadOnlyList<KeyValuePair<string, string>>>(() =>
            typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => new KeyValuePair<string, string>((string)f.GetRawConstantValue()!, f.GetCustomAttribute<DescriptionAttribute>()?.Description ?? ""))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ToList());

        /// <summary>Every ErrorId with its one-line meaning, sorted by name.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> All => AllIds.Value;
    }
}
