using System.Net;
using Microsoft.Extensions.Logging;
using ReviewerAgent;
using Synapse.Hosting;

// Runs the reviewer until Ctrl+C. Call it from another terminal, for example with the Quickstart client or with
// synapse-p2p's Python Client("127.0.0.1", 9999).call("_agent.capabilities").
var port = args.Length > 0 ? int.Parse(args[0]) : 9999;
using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
await using var host = new AgentHost(new Reviewer(), new AgentHostOptions { BindAddress = IPAddress.Any, Port = port }, loggerFactory);
await host.RunAsync(stop.Token);
