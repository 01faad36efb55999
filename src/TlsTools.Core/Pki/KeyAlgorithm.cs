namespace TlsTools.Pki
{
    /// <summary>Key algorithms TlsTools generates. The same values are used by every cmdlet that makes a key.</summary>
    public enum KeyAlgorithm
    {
        EcdsaP256,
        EcdsaP384,
        EcdsaP521,
        Rsa2048,
        Rsa3072,
        Rsa4096,
        Ed25519,
    }

    /// <summary>Which leaf certificate to issue: key usages and extended key usages follow from it.</summary>
    public enum CertificateProfile
    {
        Server,
        Client,
        ServerClient,
    }
}
