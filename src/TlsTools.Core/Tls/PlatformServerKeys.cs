using System;
using System.Collections.Generic;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsTools.Tls
{
    /// <summary>
    /// One key object per distinct server EC public key (curve and point), so that the platform's copy of the key, which
    /// <see cref="Pki.Crypto.PlatformVerifier"/> keeps per key object, is made once and not on every handshake with the
    /// same server: in the issue 16 profile of warm sequential handshakes, importing the key into the platform (which
    /// checks the point with a scalar multiplication) cost more than the signature check itself, and each discarded copy
    /// went through the finalizer. Bounded: at most <see cref="Capacity"/> keys are kept; the whole table is dropped when
    /// it is full (the platform copies then go with their key objects).
    /// </summary>
    internal static class PlatformServerKeys
    {
        /// <summary>The most keys kept.</summary>
        internal const int Capacity = 64;

        private static readonly Dictionary<string, ECPublicKeyParameters> Keys = new Dictionary<string, ECPublicKeyParameters>(StringComparer.Ordinal);

        /// <summary>How many keys are kept now (tests).</summary>
        internal static int Count
        {
            get { lock (Keys) return Keys.Count; }
        }

        /// <summary>The kept key equal to <paramref name="key"/> (same named curve and point), or <paramref name="key"/>
        /// itself, now kept. A key on an unnamed curve is returned as it is.</summary>
        internal static ECPublicKeyParameters Canonical(ECPublicKeyParameters key)
        {
            if (key is null) throw new ArgumentNullException(nameof(key));
            if (key.PublicKeyParamSet == null) return key;
            string id = key.PublicKeyParamSet.Id + ":" + Convert.ToBase64String(key.Q.GetEncoded(false));
            lock (Keys)
            {
                if (Keys.TryGetValue(id, out var kept)) return kept;
                if (Keys.Count >= Capacity) Keys.Clear();
                Keys.Add(id, key);
                return key;
            }
        }
    }
}
