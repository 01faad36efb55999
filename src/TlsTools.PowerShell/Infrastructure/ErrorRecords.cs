using System;
using System.Management.Automation;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>The one place that turns failures into ErrorRecords: stable ErrorIds, fitting categories.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(TlsToolsException e, object? target = null) =>
            new ErrorRecord(e, e.ErrorId, Category(e.Kind), target ?? e.Target);

        public static ErrorRecord From(string errorId, ErrorKind kind, string message, object? target = null) =>
            From(new TlsToolsException(errorId, kind, message), target);

        /// <summary>For exceptions the core did not anticipate: still an ErrorRecord with a stable id, never a crash.</summary>
        public static ErrorRecord Unexpected(Exception e, string errorId, object? target = null) =>
            new ErrorRecord(e, errorId, ErrorCategory.NotSpecified, target);

        public static ErrorCategory Category(ErrorKind kind)
        {
            switch (kind)
            {
                case ErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case ErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case ErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case ErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case ErrorKind.ResourceExists: return ErrorCategory.ResourceExists;
                case ErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case ErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case ErrorKind.SecurityError: return ErrorCategory.SecurityError;
                case ErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case ErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case ErrorKind.ProtocolError: return ErrorCategory.ProtocolError;
                case ErrorKind.WriteError: return ErrorCategory.WriteError;
                case ErrorKind.NotImplemented: return ErrorCategory.NotImplemented;
                case ErrorKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
