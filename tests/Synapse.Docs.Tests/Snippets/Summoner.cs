// docs/summoner.md, "A C# agent on a Summoner relay".
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Synapse.Relay;
using Synapse.Relay.Summoner;

namespace Synapse.Docs.Tests.Snippets;

internal static class SummonerSnippet
{
    public static async Task RunAsync(ILoggerFactory loggerFactory)
    {
        await using var client = new SummonerRelayClient(new SummonerRelayClientOptions
        {
            Relays = [new DnsEndPoint("relay-a.example", 8888), new DnsEndPoint("relay-b.example", 8888)], // in order of preference
            // MaxLineBytes = 1 MiB, SendQueueCapacity = 1000, Backoff = new ReconnectBackoffOptions { ... }
        }, loggerFactory);                        // connection events, dropped lines, handler failures

        client.OnMessage(async (message, cancellationToken) =>
        {
            if (message.IsNotice)
            {
                Console.WriteLine($"relay says: {message.Text}");   // e.g. "Warning: Server disconnected."
                return;
            }

            // message.RemoteAddress: "ip:port" of the sender; message.Version: "1.3.0" for a typed line
            if (message.Content?["to"]?.GetValue<string>() == "me")
            {
                await client.SendAsync(new JsonObject { ["from"] = "me", ["answer"] = 42 }, cancellationToken);
            }
        });

        await client.StartAsync();
        await client.WaitConnectedAsync();
        await client.SendAsync(new JsonObject { ["type"] = "hello", ["tags"] = new JsonArray("a", "b") });
    }
}
