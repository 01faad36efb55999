using System;
using System.Collections.Generic;
using System.Management.Automation;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Tls;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>Renders a handshake transcript as a text ladder (client and server columns, one arrow per message) or a Mermaid sequence diagram.</summary>
    [Cmdlet(VerbsData.ConvertTo, "TlsDiagram", DefaultParameterSetName = ResultSet)]
    [OutputType(typeof(string))]
    public sealed class ConvertToTlsDiagramCommand : TlsToolsCmdlet
    {
        private const string ResultSet = "InputObject";
        private const string TranscriptSet = "Transcript";

        private readonly List<TranscriptMessage> _messages = new List<TranscriptMessage>();

        /// <summary>A result of Invoke-TlsHandshake; each one gives one diagram.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ResultSet)]
        public HandshakeResult? InputObject { get; set; }

        /// <summary>Transcript messages; all that come through the pipeline make one diagram.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TranscriptSet)]
        public TranscriptMessage[] Transcript { get; set; } = Array.Empty<TranscriptMessage>();

        [Parameter]
        [ValidateSet("Ladder", "Mermaid", IgnoreCase = true)]
        public string Format { get; set; } = "Ladder";

        /// <summary>Largest line length of the ladder (not used for Mermaid).</summary>
        [Parameter]
        [ValidateRange(60, 1000)]
        public int Width { get; set; } = LadderDiagram.DefaultWidth;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == TranscriptSet)
            {
                foreach (var m in Transcript)
                    if (m != null) _messages.Add(m);
                return;
            }
            var result = InputObject!;
            if (result.Transcript.Length == 0)
            {
                WriteFailure(new TlsToolsException(ErrorIds.EmptyTranscript, ErrorKind.InvalidData,
                    "The handshake with " + result.Target + " has no transcript to draw" + (result.Error != null ? " (" + result.Error + ")" : "") + "."), result);
                return;
            }
            WriteObject(Render(result.Transcript));
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName != TranscriptSet) return;
            if (_messages.Count == 0)
            {
                WriteFailure(new TlsToolsException(ErrorIds.EmptyTranscript, ErrorKind.InvalidData, "No transcript messages came in."));
                return;
            }
            WriteObject(Render(_messages));
        }

        private string Render(IEnumerable<TranscriptMessage> messages) =>
            (string.Equals(Format, "Mermaid", StringComparison.OrdinalIgnoreCase) ? MermaidDiagram.Render(messages) : LadderDiagram.Render(messages, Width)).TrimEnd('\n');
    }
}
