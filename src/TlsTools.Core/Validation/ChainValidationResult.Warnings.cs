using System.Collections.Generic;

namespace TlsTools.Validation
{
    public sealed partial class ChainValidationResult
    {
        private readonly List<ValidationFailure> _warnings = new List<ValidationFailure>();

        /// <summary>What is wrong but does not make the chain invalid (e.g. revocation Unavailable with -RevocationFailure Warn).</summary>
        public ValidationFailure[] Warnings => _warnings.ToArray();

        internal void AddWarning(ValidationFailure warning) => _warnings.Add(warning);
    }
}
