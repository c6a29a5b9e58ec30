// docs/relay-config.md: loading a relay's configuration file.
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Server;

namespace Synapse.Docs.Tests.Snippets;

internal static class RelayConfigSnippet
{
    public static RelayOptions Load()
    {
        RelayOptions options = RelayConfiguration.Load("relay.json");   // throws RelayConfigurationException on any problem
        return options;
    }
}
