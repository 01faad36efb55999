using System;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Revocation.Online
{
    /// <summary>
    /// The one way -Online reaches the network: a GET or a POST that returns the body of a 2xx answer, bounded in time
    /// (per request), size and redirects. <see cref="HttpFetcher"/> is the real one; tests put a counting one in its place.
    /// </summary>
    public interface IHttpFetcher
    {
        /// <summary>Fetches <paramref name="url"/> with GET.</summary>
        /// <exception cref="TlsToolsException">OnlineFetchFailed, OnlineFetchTimeout or OnlineResponseTooLarge.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        Task<byte[]> GetAsync(Uri url, CancellationToken cancellationToken);

        /// <summary>Sends <paramref name="body"/> with POST and the given content type; returns the answer's body.</summary>
        /// <exception cref="TlsToolsException">OnlineFetchFailed, OnlineFetchTimeout or OnlineResponseTooLarge.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        Task<byte[]> PostAsync(Uri url, string contentType, byte[] body, CancellationToken cancellationToken);
    }
}
