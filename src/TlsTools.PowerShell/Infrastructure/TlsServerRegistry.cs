using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using TlsTools.Tls;

namespace TlsTools.PowerShell.Infrastructure
{
    /// <summary>
    /// The servers Start-TlsServer started, by port, each owned by the PowerShell session (runspace) that started it:
    /// Stop-TlsServer -Port/-All and removal of the module act on the current session's servers only.
    /// </summary>
    internal static class TlsServerRegistry
    {
        private static readonly ConcurrentDictionary<int, (TlsServerHost Server, Guid Owner)> Servers = new ConcurrentDictionary<int, (TlsServerHost, Guid)>();

        private static Guid CurrentSession => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

        public static void Add(TlsServerHost server)
        {
            Prune();
            Servers[server.Port] = (server, CurrentSession);
        }

        /// <summary>This session's running server on <paramref name="port"/>.</summary>
        public static bool TryGet(int port, out TlsServerHost server)
        {
            Prune();
            server = null!;
            if (!Servers.TryGetValue(port, out var entry) || entry.Owner != CurrentSession) return false;
            server = entry.Server;
            return true;
        }

        public static void Remove(TlsServerHost server)
        {
            if (Servers.TryGetValue(server.Port, out var known) && ReferenceEquals(known.Server, server))
                Servers.TryRemove(server.Port, out _);
        }

        /// <summary>This session's running servers, by port.</summary>
        public static IReadOnlyList<TlsServerHost> All
        {
            get
            {
                Prune();
                var owner = CurrentSession;
                return Servers.Values.Where(e => e.Owner == owner).Select(e => e.Server).OrderBy(s => s.Port).ToList();
            }
        }

        /// <summary>Stops this session's servers.</summary>
        public static void StopAll()
        {
            foreach (var server in All)
            {
                server.Stop();
                Remove(server);
            }
        }

        /// <summary>Forgets servers stopped directly with their Stop() method.</summary>
        private static void Prune()
        {
            foreach (var pair in Servers.ToList())
                if (!pair.Value.Server.IsRunning) Servers.TryRemove(pair.Key, out _);
        }
    }

    /// <summary>Stops the servers a session started when that session removes the module (Remove-Module, Import-Module -Force).</summary>
    public sealed class TlsServerModuleCleanup : IModuleAssemblyCleanup
    {
        public void OnRemove(PSModuleInfo psModuleInfo) => TlsServerRegistry.StopAll();
    }
}
