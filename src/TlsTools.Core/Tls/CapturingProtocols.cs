using System;
using Org.BouncyCastle.Tls;

namespace TlsTools.Tls
{
    // BouncyCastle has no per-message callback; the protocol subclass is the least invasive hook.
    // Incoming messages are seen decrypted in HandleHandshakeMessage; outgoing ones as plaintext records in WriteRecord.
    // Trap: BouncyCastle's net6.0 build routes writes through a ReadOnlySpan overload this class does not see, so every
    // host loads BouncyCastle's netstandard2.0 build with it (the module in its own load context, the tests likewise).

    internal sealed class CapturingClientProtocol : TlsClientProtocol
    {
        private readonly TranscriptRecorder _recorder;

        public CapturingClientProtocol(TranscriptRecorder recorder)
        {
            _recorder = recorder;
        }

        /// <summary>NewSessionTicket messages handled so far (counted whether or not the transcript is recorded).</summary>
        public int NewSessionTickets { get; private set; }

        protected override void HandleHandshakeMessage(short type, HandshakeMessageInput buf)
        {
            if (type == HandshakeType.new_session_ticket) NewSessionTickets++;
            _recorder.Incoming(ContentType.handshake, buf.ToArray());
            base.HandleHandshakeMessage(type, buf);
        }

        protected override void HandleChangeCipherSpecMessage()
        {
            _recorder.Incoming(ContentType.change_cipher_spec, new byte[] { 1 });
            base.HandleChangeCipherSpecMessage();
        }

        protected override void HandleAlertMessage(short alertLevel, short alertDescription)
        {
            _recorder.Incoming(ContentType.alert, new[] { (byte)alertLevel, (byte)alertDescription });
            base.HandleAlertMessage(alertLevel, alertDescription);
        }

        protected override void WriteRecord(short type, byte[] buf, int off, int len)
        {
            _recorder.Outgoing(type, buf, off, len);
            base.WriteRecord(type, buf, off, len);
        }

    }
}
