using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using TlsTools.Tls;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>The servers Start-TlsServer started in this process, by port, so Stop-TlsServer and module removal can stop them.</summary>
    internal static class TlsServerRegistry
    {
        private static readonly ConcurrentDictionary<int, TlsServerHost> Servers = new ConcurrentDictionary<int, TlsServerHost>();

        public static void Add(TlsServerHost server)
        {
            Prune();
            Servers[server.Port] = server;
        }

        public static bool TryGet(int port, out TlsServerHost server)
        {
            Prune();
            return Servers.TryGetValue(port, out server!);
        }

        public static void Remove(TlsServerHost server)
        {
            if (Servers.TryGetValue(server.Port, out var known) && ReferenceEquals(known, server))
                Servers.TryRemove(server.Port, out _);
        }

        /// <summary>Running servers, by port.</summary>
        public static IReadOnlyList<TlsServerHost> All
        {
            get
            {
                Prune();
                return Servers.Values.OrderBy(s => s.Port).ToList();
            }
        }

        public static void StopAll()
        {
            foreach (var port in Servers.Keys.ToList())
            {
                if (Servers.TryRemove(port, out var server))
                    server.Stop();
            }
        }

        /// <summary>Forgets servers stopped directly with their Stop() method.</summary>
        private static void Prune()
        {
            foreach (var pair in Servers.ToList())
                if (!pair.Value.IsRunning) Servers.TryRemove(pair.Key, out _);
        }
    }

    /// <summary>Stops every server Start-TlsServer started when the module is removed (Remove-Module, Import-Module -Force).</summary>
    public sealed class TlsServerModuleCleanup : IModuleAssemblyCleanup
    {
        public void OnRemove(PSModuleInfo psModuleInfo) => TlsServerRegistry.StopAll();
    }
}
