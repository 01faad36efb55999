using System.Management.Automation;
using TlsTools.Pki;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>Parameters of the New- cmdlets that exclude each other: refused, never one silently winning.</summary>
    internal static class ParameterChecks
    {
        /// <summary>
        /// The key to use: -PrivateKey when given (an -Algorithm given with it must name the same algorithm), else a new key
        /// of -Algorithm.
        /// </summary>
        /// <exception cref="TlsToolsException">ConflictingParameters.</exception>
        public static PrivateKey KeyFor(PSCmdlet cmdlet, PrivateKey? key, KeyAlgorithm algorithm)
        {
            if (key == null) return KeyFactory.Generate(algorithm);
            if (cmdlet.MyInvocation.BoundParameters.ContainsKey("Algorithm") && key.Algorithm != algorithm.ToString())
                throw new TlsToolsException(ErrorIds.ConflictingParameters, ErrorKind.InvalidArgument,
                    "-PrivateKey is " + Wording.A(key.Algorithm) + " key and -Algorithm asks for " + algorithm + "; give one of them (-Algorithm makes a new key).",
                    target: key);
            return key;
        }

        /// <summary>-ValidityDays and -NotAfter both set the end of the validity: give one.</summary>
        /// <exception cref="TlsToolsException">ConflictingParameters.</exception>
        public static void CheckValidity(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.ContainsKey("ValidityDays") && bound.ContainsKey("NotAfter"))
                throw new TlsToolsException(ErrorIds.ConflictingParameters, ErrorKind.InvalidArgument,
                    "-ValidityDays and -NotAfter both set when the certificate expires; give one of them.", target: bound["NotAfter"]);
        }
    }
}
