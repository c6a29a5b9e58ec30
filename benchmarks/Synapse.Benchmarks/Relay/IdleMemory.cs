using System.Diagnostics;
using Synapse.Crypto.Noise;
using Synapse.Identity;
using Synapse.Relay.Server;
using Synapse.Transport;
using Synapse.Transport.Secure;

namespace Synapse.Benchmarks.Relay;

/// <summary>
/// Memory per idle agent connection: a relay runs in a child process (<c>relay-serve</c>); this process connects
/// agents over secure links and leaves them idle, and the child reports its memory (after a full GC) before and after.
/// </summary>
internal static class IdleMemory
{
    public static async Task RunAsync(int agents)
    {
        using var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["relay-serve"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        var ready = (await child.StandardOutput.ReadLineAsync())!.Split(' ');
        var endPoint = System.Net.IPEndPoint.Parse(ready[0]);
        var relayId = AgentId.Parse(ready[1]);
        var before = await MeasureAsync(child);

        var links = new List<ITransportConnection>(agents);
        var credentials = new List<NoiseStaticCredential>(agents);
        var started = Stopwatch.GetTimestamp();
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, agents).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                using var identity = AgentIdentity.Generate();
                var credential = NoiseStaticCredential.Create(identity);
                var connection = await TcpTransport.Instance.ConnectAsync(endPoint);
                var (link, _) = await SecureLink.ConnectAsync(connection, credential, relayId, CancellationToken.None);
                lock (links)
                {
                    links.Add(link!);
                    credentials.Add(credential);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var after = await MeasureAsync(child);
        for (var waited = 0; after.Connected < agents && waited < 100; waited++)
        {
            await Task.Delay(100); // the relay registers the last links just after their handshakes
            after = await MeasureAsync(child);
        }


        Console.WriteLine();
        Console.WriteLine($"relay memory with {agents:N0} idle agents on secure links (relay in its own process; connected in {connectSeconds:0.0} s)");
        Console.WriteLine($"{"",-28} {"before",12} {"after",12} {"per agent",12}");
        Console.WriteLine($"{"managed heap after full GC",-28} {Kib(before.Heap),12} {Kib(after.Heap),12} {(after.Heap - before.Heap) / 1024.0 / agents,10:N1} KiB");
        Console.WriteLine($"{"resident set (VmRSS)",-28} {Kib(before.Rss),12} {Kib(after.Rss),12} {(after.Rss - before.Rss) / 1024.0 / agents,10:N1} KiB");
        Console.WriteLine($"{"connected agents (relay)",-28} {before.Connected,12} {after.Connected,12}");

        foreach (var link in links)
        {
            await link.DisposeAsync();
        }

        foreach (var credential in credentials)
        {
            credential.Dispose();
        }

        child.StandardInput.Close();
        await child.WaitForExitAsync();
    }

    /// <summary>The child side: runs a relay, prints "endpoint id", then answers each "measure" line until stdin closes.</summary>
    public static async Task ServeAsync()
    {
        await using var relay = new RelayServer(RelayThroughput.BenchmarkOptions with { ClientTimeout = null });
        await relay.StartAsync();
        Console.WriteLine($"{relay.LocalEndPoint} {relay.Id}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "measure")
            {
                var heap = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine($"{heap} {ResidentBytes()} {relay.ConnectedAgents}");
            }
        }
    }

    private static async Task<(long Heap, long Rss, int Connected)> MeasureAsync(Process child)
    {
        await child.StandardInput.WriteLineAsync("measure");
        var parts = (await child.StandardOutput.ReadLineAsync())!.Split(' ');
        return (long.Parse(parts[0]), long.Parse(parts[1]), int.Parse(parts[2]));
    }

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
            }
        }

        return 0;
    }

    private static string Kib(long bytes) => $"{bytes / 1024.0 / 1024:N1} MiB";
}
