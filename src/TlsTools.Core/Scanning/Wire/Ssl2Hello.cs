using System;

namespace TlsTools.Scanning.Wire
{
    /// <summary>
    /// The SSL 2.0 CLIENT-HELLO of the DROWN probe (draft-hickman-netscape-ssl-00 §2.5): version 0x0002 only, the seven SSL 2.0
    /// cipher kinds, no session id, a 16-byte challenge. A server that answers with an SSL 2.0 SERVER-HELLO speaks SSL 2.0
    /// (<see cref="ProbeOutcome.Ssl2Reply"/>); a modern server closes or answers with a TLS alert.
    /// </summary>
    internal static class Ssl2Hello
    {
        /// <summary>SSL_CK_RC4_128_WITH_MD5 .. SSL_CK_DES_192_EDE3_CBC_WITH_MD5 (3-byte SSL 2.0 cipher kinds).</summary>
        internal static readonly int[] CipherKinds = { 0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700C0 };

        public static byte[] Build()
        {
            var challenge = new byte[16];
            lock (Challenges) Challenges.NextBytes(challenge); // no secret is derived: the probe stops at SERVER-HELLO
            int bodyLength = 9 + CipherKinds.Length * 3 + challenge.Length;
            var b = new byte[2 + bodyLength];
            b[0] = (byte)(0x80 | (bodyLength >> 8));
            b[1] = (byte)bodyLength;
            b[2] = 1; // CLIENT-HELLO
            b[3] = 0; b[4] = 2; // version 2
            b[5] = 0; b[6] = (byte)(CipherKinds.Length * 3);
            b[7] = 0; b[8] = 0; // session id length
            b[9] = 0; b[10] = (byte)challenge.Length;
            int o = 11;
            foreach (var k in CipherKinds) { b[o++] = (byte)(k >> 16); b[o++] = (byte)(k >> 8); b[o++] = (byte)k; }
            Buffer.BlockCopy(challenge, 0, b, o, challenge.Length);
            return b;
        }

        private static readonly Random Challenges = new Random();
    }
}
