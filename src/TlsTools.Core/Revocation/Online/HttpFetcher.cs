using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Revocation.Online
{
    /// <summary>
    /// <see cref="IHttpFetcher"/> over <see cref="HttpClient"/>: http and https only, each request (redirects included)
    /// bounded by <see cref="Timeout"/>, the body by <see cref="MaxResponseBytes"/> (read no further), at most
    /// <see cref="MaxRedirects"/> redirects (followed here, never to another scheme than http/https).
    /// </summary>
    public sealed class HttpFetcher : IHttpFetcher, IDisposable
    {
        /// <summary>Default for <see cref="Timeout"/>.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

        /// <summary>Default for <see cref="MaxResponseBytes"/>: 10 MiB (large public CRLs are a few MiB).</summary>
        public const int DefaultMaxResponseBytes = 10 * 1024 * 1024;

        /// <summary>Default for <see cref="MaxRedirects"/>.</summary>
        public const int DefaultMaxRedirects = 3;

        private readonly HttpClient _client;

        public HttpFetcher()
        {
            var handler = new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
            _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            _client.DefaultRequestHeaders.UserAgent.ParseAdd("TlsTools");
        }

        /// <summary>The bound on one request, its redirects and reading its body.</summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>The most bytes an answer's body may have.</summary>
        public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

        /// <summary>The most redirects followed for one request.</summary>
        public int MaxRedirects { get; set; } = DefaultMaxRedirects;

        /// <inheritdoc/>
        public Task<byte[]> GetAsync(Uri url, CancellationToken cancellationToken) => SendAsync(url, null, null, cancellationToken);

        /// <inheritdoc/>
        public Task<byte[]> PostAsync(Uri url, string contentType, byte[] body, CancellationToken cancellationToken)
        {
            if (body == null) throw new ArgumentNullException(nameof(body));
            if (string.IsNullOrEmpty(contentType)) throw new ArgumentNullException(nameof(contentType));
            return SendAsync(url, contentType, body, cancellationToken);
        }

        private async Task<byte[]> SendAsync(Uri url, string? contentType, byte[]? body, CancellationToken cancellationToken)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            CheckScheme(url, url);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var current = url;
            try
            {
                for (int redirects = 0; ; redirects++)
                {
                    using var message = new HttpRequestMessage(body == null ? HttpMethod.Get : HttpMethod.Post, current);
                    if (body != null)
                    {
                        message.Content = new ByteArrayContent(body);
                        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
                    }
                    using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    int status = (int)response.StatusCode;
                    if (status >= 300 && status < 400 && response.Headers.Location != null)
                    {
                        if (redirects >= MaxRedirects)
                            throw Failed(url, "more than " + MaxRedirects + " redirects");
                        var next = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(current, response.Headers.Location);
                        CheckScheme(url, next);
                        current = next;
                        if (status == 303) body = null; // See Other: fetch the answer with GET
                        continue;
                    }
                    if (status < 200 || status > 299)
                        throw Failed(url, "HTTP " + status + " " + response.ReasonPhrase + (current != url ? " from " + current : ""));
                    return await ReadBoundedAsync(url, response, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                throw new TlsToolsException(ErrorIds.OnlineFetchTimeout, ErrorKind.OperationTimeout,
                    "Fetching " + url + " got no complete answer within " + Timeout.TotalSeconds + " s.", e, url.ToString());
            }
            catch (HttpRequestException e)
            {
                throw Failed(url, Innermost(e).Message, e);
            }
            catch (IOException e)
            {
                throw Failed(url, e.Message, e);
            }
        }

        private async Task<byte[]> ReadBoundedAsync(Uri url, HttpResponseMessage response, CancellationToken ct)
        {
            long? declared = response.Content.Headers.ContentLength;
            if (declared > MaxResponseBytes) throw TooLarge(url, "it declares " + declared + " bytes");
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            while (true)
            {
                int n = await stream.ReadAsync(chunk, 0, chunk.Length, ct).ConfigureAwait(false);
                if (n == 0) break;
                if (buffer.Length + n > MaxResponseBytes) throw TooLarge(url, "it sent more");
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }

        private TlsToolsException TooLarge(Uri url, string what) =>
            new TlsToolsException(ErrorIds.OnlineResponseTooLarge, ErrorKind.LimitsExceeded,
                "The answer from " + url + " is larger than the limit of " + MaxResponseBytes + " bytes (" + what + "); it was not read further.", null, url.ToString());

        private static void CheckScheme(Uri original, Uri url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                throw Failed(original, "only http and https URLs are fetched" + (url != original ? " (it redirects to " + url + ")" : " (" + (url.IsAbsoluteUri ? url.Scheme : "a relative URL") + ")"));
        }

        private static TlsToolsException Failed(Uri url, string why, Exception? inner = null) =>
            new TlsToolsException(ErrorIds.OnlineFetchFailed, ErrorKind.ConnectionError, "Fetching " + url + " failed: " + why + ".", inner, url.ToString());

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        public void Dispose() => _client.Dispose();
    }
}
