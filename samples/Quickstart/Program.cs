using System.Net;
using Quickstart;
using Synapse.Client;
using Synapse.Hosting;

// Usage:
//   Quickstart                    start a node on a free port, call it, print the results, exit
//   Quickstart serve [PORT]       run the node until Ctrl+C (default port 9999, like synapse-p2p)
//   Quickstart call HOST PORT A B call sum(A, B) on a running node (Synapse or synapse-p2p)
var mode = args.Length > 0 ? args[0] : "demo";
switch (mode)
{
    case "serve":
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        var port = args.Length > 1 ? int.Parse(args[1]) : 9999;
        await using var host = new AgentHost(new Calculator(), new AgentHostOptions { BindAddress = IPAddress.Any, Port = port });
        await host.StartAsync();
        Console.WriteLine($"calculator listening on {host.LocalEndPoint}; Ctrl+C stops it");
        await host.RunAsync(stop.Token);
        return 0;
    }

    case "call" when args.Length == 5:
    {
        await using var client = new SynapseClient(args[1], int.Parse(args[2]));
        var calculator = new CalculatorClient(client);
        Console.WriteLine(await calculator.SumAsync(int.Parse(args[3]), int.Parse(args[4])));
        return 0;
    }

    case "demo":
    {
        await using var host = new AgentHost(new Calculator());
        await host.StartAsync();
        Console.WriteLine($"calculator listening on {host.LocalEndPoint}");

        await using var client = new SynapseClient(host.LocalEndPoint);
        var calculator = new CalculatorClient(client);
        var sum = await calculator.SumAsync(1, 2);
        Console.WriteLine($"sum(1, 2)          = {sum}");
        Console.WriteLine($"_synapse.ping      = {await client.PingAsync()}");
        Console.WriteLine($"_synapse.methods   = {await client.CallAsync("_synapse.methods")}");
        Console.WriteLine($"_agent.info        = {await client.CallAsync("_agent.info")}");
        Console.WriteLine($"connection         = {client.NegotiatedMode}");
        await host.StopAsync();
        return sum == 3 ? 0 : 1;
    }

    default:
        Console.Error.WriteLine("usage: Quickstart [serve [PORT] | call HOST PORT A B]");
        return 2;
}
