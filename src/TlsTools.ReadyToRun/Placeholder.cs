namespace TlsTools.ReadyToRun { internal static class Placeholder { } }
