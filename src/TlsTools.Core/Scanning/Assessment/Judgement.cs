namespace TlsTools.Scanning
{
    /// <summary>The last step of <see cref="TlsServerScanner.ReportAsync"/>, after the findings: the grade, and the policy when one was asked for.</summary>
    internal static class Judgement
    {
        /// <summary>Sets <see cref="ServerProfileReport.Grade"/>, <see cref="ServerProfileReport.GradeReasons"/> and, with a
        /// policy, <see cref="ServerProfileReport.PolicyCompliance"/>.</summary>
        public static ServerProfileReport Apply(ServerProfileReport report, TlsPolicy? policy)
        {
            Grading.Apply(report);
            if (policy is TlsPolicy p) report.PolicyCompliance = PolicyChecker.Check(report, p);
            return report;
        }
    }
}
