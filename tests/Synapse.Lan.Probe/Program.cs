// Usage:
//   announce <id> <name> <port> <capabilities,comma,joined> [swarm]   announces (in swarm, team "default") until stdin closes
//   browse <seconds>                                          prints each peer found, exits 0 if any, else 1
using System.Globalization;
using Synapse.Discovery.Lan;

var options = new LanDiscoveryOptions { Enabled = true, QueryInterval = TimeSpan.FromMilliseconds(500) };
switch (args)
{
    case ["announce", var id, var name, var port, var capabilities, .. var swarm] when swarm.Length <= 1:
    {
        var self = new LanAnnouncement(id, "127.0.0.1", int.Parse(port, CultureInfo.InvariantCulture))
        {
            Name = name,
            Capabilities = capabilities.Split(',', StringSplitOptions.RemoveEmptyEntries),
            Swarm = swarm.Length == 1 ? swarm[0] : null,
            Team = swarm.Length == 1 ? "default" : null,
        };
        await using var discovery = new LanDiscovery(options, self);
        await discovery.StartAsync();
        Console.WriteLine("announcing");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    case ["browse", var seconds]:
    {
        await using var discovery = new LanDiscovery(options);
        await discovery.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)));
        try
        {
            await foreach (var peer in discovery.DiscoverAsync(timeout.Token))
            {
                Console.WriteLine(
                    $"found id={peer.Id} name={peer.Name} port={peer.Port} capabilities={string.Join(',', peer.Capabilities)} address={peer.Address}");
                return 0;
            }
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine("nothing found");
        return 1;
    }

    default:
        Console.Error.WriteLine("usage: announce <id> <name> <port> <capabilities> | browse <seconds>");
        return 2;
}
