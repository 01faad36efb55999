using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using TlsTools.Pki;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// The one input convention for certificate parameters (-Certificate, -Intermediate, -TrustedRoot,
    /// -ClientCertificate, -Issuer, -Chain): TlsTools objects, X509Certificate2 (with its private key), FileInfo, a path
    /// to an existing file, PEM text (one string or Get-Content's lines), bytes, or an object with a Certificate or
    /// Certificates property. The reading itself is <see cref="PkiInputReader"/>'s; this only binds its result.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CertificateInputAttribute : PkiInputAttribute
    {
        /// <summary>The parameter takes one certificate: of several, the one that carries a private key.</summary>
        public bool Single { get; set; }

        /// <summary>A wildcard path must match one file (the input names one chain).</summary>
        public bool SingleFile { get; set; }

        internal override object Read(PkiInputReader reader, object input)
        {
            var list = reader.ReadCertificates(input, SingleFile);
            return Single ? One(list, input) : (object)list.ToArray();
        }

        private static Certificate One(List<Certificate> list, object input)
        {
            if (list.Count == 1) return list[0];
            if (list.Count == 0)
                throw new TlsToolsException(ErrorIds.NoCertificate, ErrorKind.InvalidData, "The input holds no certificate.", target: input);
            var keyed = list.Where(c => c.HasPrivateKey).ToList();
            if (keyed.Count == 1) return keyed[0];
            throw new TlsToolsException(ErrorIds.MoreThanOneCertificate, ErrorKind.InvalidArgument,
                "The input holds " + list.Count + " certificates (" + string.Join("; ", list.Take(3).Select(c => c.Subject)) + (list.Count > 3 ? "; ..." : "") +
                ") and " + (keyed.Count == 0 ? "none" : keyed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)) +
                " with a private key; this parameter takes one certificate: give a file or object with just that one.", target: input);
        }
    }

    /// <summary>The same convention for CRL parameters (-Crl): CRL objects, FileInfo, paths, PEM text or lines, bytes.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CrlInputAttribute : PkiInputAttribute
    {
        internal override object Read(PkiInputReader reader, object input) => reader.ReadCrls(input).ToArray();
    }

    /// <summary>
    /// Shared shape of the input transformations. A value that cannot be read is a binding error whose inner exception is
    /// the TlsToolsException (its ErrorId and message); with <see cref="DeferErrors"/> the value is passed on unread,
    /// for a cmdlet that reads each input itself with the same reader and reports failures per input.
    /// </summary>
    public abstract class PkiInputAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Leave an unreadable value to the cmdlet, which reports it with its ErrorId (and goes on with the next input).</summary>
        public bool DeferErrors { get; set; }

        internal abstract object Read(PkiInputReader reader, object input);

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData == null) return null;
            var reader = new PkiInputReader(engineIntrinsics.SessionState, TlsToolsCmdlet.ReadFile);
            try
            {
                return Read(reader, inputData);
            }
            catch (TlsToolsException) when (DeferErrors)
            {
                return inputData;
            }
            catch (TlsToolsException e)
            {
                throw new ArgumentTransformationMetadataException(e.ErrorId + ": " + e.Message, e);
            }
        }
    }
}
