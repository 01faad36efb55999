namespace TlsTools
{
    /// <summary>The grammar of messages in one place: counts with the right plural, nouns with the right article.</summary>
    internal static class Wording
    {
        /// <summary>"1 certificate", "2 certificates" (<paramref name="plural"/> defaults to the noun + "s").</summary>
        public static string Count(long count, string noun, string? plural = null) =>
            count + " " + (count == 1 ? noun : plural ?? noun + "s");

        /// <summary>"a certificate", "an Int32", "an X509Certificate2": "an" before a vowel sound as written (A, E, I, O, U, and X as "ex").</summary>
        public static string A(string noun)
        {
            if (string.IsNullOrEmpty(noun)) return "a " + noun;
            char c = char.ToUpperInvariant(noun[0]);
            bool vowel = c == 'A' || c == 'E' || c == 'I' || c == 'O' || (c == 'U' && !noun.StartsWith("Uri", System.StringComparison.OrdinalIgnoreCase))
                         || (c == 'X' && noun.Length > 1 && char.IsDigit(noun[1]));
            return (vowel ? "an " : "a ") + noun;
        }
    }
}
