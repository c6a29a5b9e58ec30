// docs/relay-backplane.md: a relay with a RabbitMQ backplane, in code.
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.RabbitMQ;
using Synapse.Relay.Server;

namespace Synapse.Docs.Tests.Snippets;

internal static class RelayBackplaneSnippet
{
    public static async Task RunAsync()
    {
        var options = RelayConfiguration.Load("relay.json");
        await using var relay = new RelayServer(options, backplane: new RabbitMqBackplane(options));
        await relay.StartAsync(); // throws, naming the broker's address (never the password), when it cannot be reached
    }
}
