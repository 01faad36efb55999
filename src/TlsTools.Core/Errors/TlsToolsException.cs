using System;

namespace TlsTools
{
    /// <summary>What kind of failure a <see cref="TlsToolsException"/> reports; the module maps it to an ErrorCategory.</summary>
    public enum ErrorKind
    {
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        AuthenticationError,
        ResourceExists,
        ResourceUnavailable,
        ObjectNotFound,
        SecurityError,
        ConnectionError,
        OperationTimeout,
        ProtocolError,
        WriteError,
        NotImplemented,
        LimitsExceeded,
    }

    /// <summary>
    /// The one exception type the core throws for a failed operation. <see cref="ErrorId"/> is stable:
    /// scripts depend on it. Messages never contain passwords or key material.
    /// </summary>
    public class TlsToolsException : Exception
    {
        public TlsToolsException(string errorId, ErrorKind kind, string message, Exception? inner = null, object? target = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        /// <summary>Stable identifier, e.g. "InvalidPem", "WrongPassword", "FileExists".</summary>
        public string ErrorId { get; }

        public ErrorKind Kind { get; }

        /// <summary>The object the failure is about (a path, a certificate), if any.</summary>
        public object? Target { get; }
    }
}
