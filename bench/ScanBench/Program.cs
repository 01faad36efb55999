using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using TlsTools.Scanning;

if (args.Length >= 3 && args[0] == "--scan")
{
    var p = await TlsServerScanner.ScanAsync(new ScanOptions { HostName = args[1], Port = int.Parse(args[2]), ServerName = args.Length > 3 ? args[3] : null });
    Console.WriteLine(JsonSerializer.Serialize(p, new JsonSerializerOptions { WriteIndented = true, Converters = { new JsonStringEnumConverter() } }));
    return 0;
}
return 0;
