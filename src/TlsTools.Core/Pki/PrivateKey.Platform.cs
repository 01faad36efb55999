using TlsTools.Pki.Crypto;

namespace TlsTools.Pki
{
    public sealed partial class PrivateKey
    {
        private readonly object _platformGate = new object();
        private bool _platformTried;
        private PlatformKey? _platform;

        /// <summary>
        /// This key in the platform's cryptography (imported and proven once, on first use, from any thread), or null
        /// when the platform cannot hold it (Ed25519, Ed448, DSA, explicit curves) or refused it: BouncyCastle signs then.
        /// </summary>
        internal PlatformKey? Platform
        {
            get
            {
                lock (_platformGate)
                {
                    if (!_platformTried)
                    {
                        _platform = PlatformKey.TryCreate(Private, Public);
                        _platformTried = true;
                    }
                    return _platform;
                }
            }
        }
    }
}
