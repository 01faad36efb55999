using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Revocation.Online
{
    /// <summary>What an unavailable revocation answer (no responder reached, no usable answer, no URL) does to a chain.</summary>
    public enum RevocationFailureAction
    {
        /// <summary>The chain stays valid; the certificate's Revocation says Unavailable and the result's Warnings say why.</summary>
        Warn,
        /// <summary>The chain fails with the check RevocationUnavailable.</summary>
        Fail,
    }

    /// <summary>One fetch -Online made: the URL, what it was for, and what came back (or why nothing did).</summary>
    public sealed class OnlineFetch
    {
        internal OnlineFetch(string url, string purpose, string method)
        {
            Url = url;
            Purpose = purpose;
            Method = method;
        }

        /// <summary>The URL as the certificate names it.</summary>
        public string Url { get; }

        /// <summary>CaIssuers, Crl or Ocsp.</summary>
        public string Purpose { get; }

        /// <summary>GET or POST.</summary>
        public string Method { get; }

        /// <summary>The body's length; null when the fetch failed.</summary>
        public int? Bytes { get; internal set; }

        /// <summary>The ErrorId of a failed fetch, else null.</summary>
        public string? ErrorId { get; internal set; }

        /// <summary>Why the fetch failed, else null.</summary>
        public string? Error { get; internal set; }

        public override string ToString() => Method + " " + Url + (ErrorId != null ? ": " + ErrorId : ": " + Bytes + " bytes");
    }

    /// <summary>
    /// One run of -Online (one cmdlet invocation, its whole pipeline): the fetcher, a cache of every answer (and every
    /// failure) by URL so that each URL is fetched at most once per run, and the <see cref="RevocationFailure"/> choice.
    /// Thread-safe: concurrent handshakes of one run share it.
    /// </summary>
    public sealed class OnlineSession : IDisposable
    {
        /// <summary>The most intermediates fetched from AIA caIssuers URLs for one chain.</summary>
        public const int MaxAiaFetchesPerChain = 4;

        private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _cache = new ConcurrentDictionary<string, Lazy<Task<byte[]>>>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<OnlineFetch> _fetches = new ConcurrentQueue<OnlineFetch>();
        private readonly bool _ownsFetcher;

        /// <summary>A run with its own <see cref="HttpFetcher"/> (timeout per request, size and redirect limits).</summary>
        public OnlineSession(TimeSpan timeout, RevocationFailureAction revocationFailure = RevocationFailureAction.Warn)
            : this(new HttpFetcher { Timeout = timeout }, revocationFailure)
        {
            _ownsFetcher = true;
        }

        /// <summary>A run over the given fetcher (tests count its requests).</summary>
        public OnlineSession(IHttpFetcher fetcher, RevocationFailureAction revocationFailure = RevocationFailureAction.Warn)
        {
            Fetcher = fetcher ?? throw new ArgumentNullException(nameof(fetcher));
            RevocationFailure = revocationFailure;
        }

        public IHttpFetcher Fetcher { get; }

        public RevocationFailureAction RevocationFailure { get; }

        /// <summary>Every network request of the run so far (a cached answer is not fetched again and not listed again).</summary>
        public IReadOnlyList<OnlineFetch> Fetches => _fetches.ToArray();

        /// <summary>GET <paramref name="url"/>, at most once per run.</summary>
        internal Task<byte[]> GetAsync(Uri url, string purpose, CancellationToken ct) =>
            Cached("GET " + url.AbsoluteUri, url, purpose, "GET", () => Fetcher.GetAsync(url, ct));

        /// <summary>POST <paramref name="body"/> to <paramref name="url"/>, at most once per run for the same body.</summary>
        internal Task<byte[]> PostAsync(Uri url, string contentType, byte[] body, string purpose, CancellationToken ct)
        {
            string key;
            using (var sha = SHA256.Create()) key = "POST " + url.AbsoluteUri + " " + Convert.ToBase64String(sha.ComputeHash(body));
            return Cached(key, url, purpose, "POST", () => Fetcher.PostAsync(url, contentType, body, ct));
        }

        private Task<byte[]> Cached(string key, Uri url, string purpose, string method, Func<Task<byte[]>> fetch)
        {
            var lazy = _cache.GetOrAdd(key, _ => new Lazy<Task<byte[]>>(() => Record(url, purpose, method, fetch)));
            var task = lazy.Value;
            // A cancelled fetch is not an answer: forget it, so that a later run of the same session may try again.
            if (task.IsCanceled) _cache.TryRemove(key, out _);
            return task;
        }

        private async Task<byte[]> Record(Uri url, string purpose, string method, Func<Task<byte[]>> fetch)
        {
            var entry = new OnlineFetch(url.ToString(), purpose, method);
            _fetches.Enqueue(entry);
            try
            {
                var body = await fetch().ConfigureAwait(false);
                entry.Bytes = body.Length;
                return body;
            }
            catch (TlsToolsException e)
            {
                entry.ErrorId = e.ErrorId;
                entry.Error = e.Message;
                throw;
            }
        }

        /// <summary>Parses a URL from a certificate: absolute http/https only; null (with why) for anything else (ldap:, relative, garbage).</summary>
        internal static Uri? HttpUrl(string text, out string? why)
        {
            why = null;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) { why = "'" + text + "' is not a URL"; return null; }
            if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) { why = "'" + text + "' is not an http or https URL"; return null; }
            return uri;
        }

        public void Dispose()
        {
            if (_ownsFetcher) (Fetcher as IDisposable)?.Dispose();
        }
    }
}
