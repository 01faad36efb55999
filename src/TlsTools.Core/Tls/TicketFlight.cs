using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;

namespace TlsTools.Tls
{
    /// <summary>Why the client stopped waiting for the server's NewSessionTicket messages after a TLS 1.3 handshake.</summary>
    public enum TicketWaitReason
    {
        /// <summary>No wait: not TLS 1.3, the handshake failed, or <see cref="HandshakeOptions.SessionTicketWait"/> is zero.</summary>
        NotWaited,

        /// <summary>Tickets arrived and nothing more was buffered after the last whole record (when tickets are counted, nothing
        /// more came within <see cref="TicketFlight.CountSettle"/>): the flight is over.</summary>
        FlightComplete,

        /// <summary>The bound (<see cref="HandshakeOptions.SessionTicketWait"/>) passed before a complete flight arrived.</summary>
        WaitExpired,

        /// <summary>The server sent application data: its tickets, if any, came before it.</summary>
        ApplicationData,

        /// <summary>The server closed the connection (close_notify or end of stream).</summary>
        ConnectionClosed,

        /// <summary>The server sent a fatal alert (for example it refused the client certificate after the handshake).</summary>
        AlertReceived,

        /// <summary>What arrived broke the protocol and the client ended the connection with a fatal alert.</summary>
        ProtocolError,

        /// <summary>The overall timeout or cancellation ended the wait.</summary>
        Interrupted,
    }

    /// <summary>
    /// After a TLS 1.3 handshake: reads the server's NewSessionTicket flight and decides from what arrived when it is
    /// over, never from a quiet gap. Stops when tickets have arrived and the socket holds nothing more after a record
    /// boundary, when application data or a close arrives, or when the bound passes.
    /// </summary>
    internal static class TicketFlight
    {
        /// <summary>
        /// When tickets are counted (<see cref="HandshakeOptions.CountAllTickets"/>): how long the socket must stay quiet after
        /// the last whole record before the flight counts as over. A server may write each NewSessionTicket on its own, and
        /// a later one can arrive in its own TCP segment after the earlier ones were read; the tickets of one flight come
        /// within moments of each other, so a tenth of a second of silence after them ends the count (the whole bound only
        /// when no ticket comes at all).
        /// </summary>
        internal static readonly TimeSpan CountSettle = TimeSpan.FromMilliseconds(100);

        /// <summary>Waits, and records on <paramref name="result"/> how long, why it stopped and how many tickets came.</summary>
        public static async Task WaitAsync(ProtocolPump pump, CapturingClientProtocol protocol, TimeSpan bound, HandshakeResult result, bool countAll = false)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                result.TicketWaitReason = await ReadFlight(pump, protocol, bound, clock, countAll).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                result.TicketWaitReason = e is OperationCanceledException || e is ObjectDisposedException ? TicketWaitReason.Interrupted
                    : e is TlsFatalAlertReceived || (e is TlsFatalAlert a && a.InnerException is TlsFatalAlertReceived) ? TicketWaitReason.AlertReceived
                    : e is TlsFatalAlert ? TicketWaitReason.ProtocolError
                    : TicketWaitReason.ConnectionClosed;
                throw;
            }
            finally
            {
                result.TicketWaitMilliseconds = Math.Round(clock.Elapsed.TotalMilliseconds, 3);
                result.NewSessionTickets = protocol.NewSessionTickets;
            }
        }

        private static async Task<TicketWaitReason> ReadFlight(ProtocolPump pump, CapturingClientProtocol protocol, TimeSpan bound, Stopwatch clock, bool countAll)
        {
            bool settling = false;   // counting: tickets came and the last record was whole; waiting out CountSettle
            while (true)
            {
                var left = bound - clock.Elapsed;
                if (left <= TimeSpan.Zero) return settling ? TicketWaitReason.FlightComplete : TicketWaitReason.WaitExpired;
                bool settle = settling && CountSettle < left;
                int n = await pump.ReceiveAsync(settle ? CountSettle : left).ConfigureAwait(false);
                if (n < 0) return settling ? TicketWaitReason.FlightComplete : TicketWaitReason.WaitExpired;
                if (n == 0 || protocol.IsClosed) return TicketWaitReason.ConnectionClosed;
                if (pump.DiscardApplicationData() > 0) return TicketWaitReason.ApplicationData;
                bool whole = protocol.NewSessionTickets > 0 && pump.AtRecordBoundary && !pump.MoreBuffered;
                if (whole && !countAll) return TicketWaitReason.FlightComplete;
                settling = whole;
            }
        }
    }
}
