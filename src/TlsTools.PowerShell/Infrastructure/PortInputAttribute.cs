using System;
using System.Globalization;
using System.Management.Automation;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// Binds a -Port given as text (an Import-Csv cell) strictly. PowerShell drops a by-property-name value it cannot convert
    /// and the command would silently use the default port; this transformation runs first: an empty or blank cell means "not
    /// given" (the default port, the row is kept), a number binds as that number (its range is checked by TlsTarget, which
    /// reports InvalidPort with the value given), and anything else is a binding error naming the parameter and the text.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class PortInputAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (!(value is string text)) return inputData;
            var trimmed = text.Trim();
            if (trimmed.Length == 0) return null;
            if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
                return number < int.MinValue || number > int.MaxValue ? (number < 0 ? int.MinValue : int.MaxValue) : (int)number;
            throw new ArgumentTransformationMetadataException("'" + text + "' is not a port number (1 to 65535; an empty cell means the default port).");
        }
    }
}
