using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using TlsTools.PowerShell.Infrastructure;
using TlsTools.Reporting;

namespace TlsTools.PowerShell.Commands
{
    /// <summary>
    /// Turns results (handshakes, scans, chain validations, certificates, or any objects) into one CSV, Markdown or HTML
    /// text with flat columns: lists are joined with "; " and dates are ISO 8601 UTC, so no cell reads "System.String[]".
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "TlsReport")]
    [OutputType(typeof(string))]
    public sealed class ConvertToTlsReportCommand : TlsToolsCmdlet
    {
        private readonly List<IReadOnlyList<KeyValuePair<string, string>>> _rows = new List<IReadOnlyList<KeyValuePair<string, string>>>();

        /// <summary>The results to report: HandshakeResult, ServerProfileReport, ChainValidationResult, Certificate, or any object (its properties).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowNull]
        public object? InputObject { get; set; }

        /// <summary>Csv (default), Markdown or Html.</summary>
        [Parameter]
        public ReportFormat Format { get; set; } = ReportFormat.Csv;

        /// <summary>The HTML page's title and heading (default "TlsTools report").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "TlsTools report";

        protected override void ProcessRecord()
        {
            var value = InputObject is PSObject pso ? pso.BaseObject : InputObject;
            if (value == null) return;
            if (!(value is string) && value is IEnumerable items && !(value is IDictionary))
            {
                foreach (var item in items) Add(item);
                return;
            }
            Add(InputObject);
        }

        protected override void EndProcessing() => WriteObject(TlsReport.Write(_rows, Format, Title));

        private void Add(object? item)
        {
            if (item == null) return;
            var value = item is PSObject pso ? pso.BaseObject : item;
            var row = TlsReport.RowOf(value);
            if (row == null)
            {
                // Any other object (Select-Object output, a custom object): its properties, each flattened to one cell.
                var cells = new List<KeyValuePair<string, string>>();
                foreach (var property in PSObject.AsPSObject(item).Properties)
                {
                    object? v;
                    try { v = property.Value; } catch (GetValueException) { v = null; }
                    cells.Add(new KeyValuePair<string, string>(property.Name, TlsReport.Cell(v is PSObject p ? p.BaseObject : v)));
                }
                row = cells;
            }
            _rows.Add(row);
        }
    }
}
