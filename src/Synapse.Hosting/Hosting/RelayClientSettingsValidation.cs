using Synapse.Client;
using Synapse.Identity;
using Synapse.Relay.Client;

namespace Synapse.Hosting;

/// <summary>Turns <see cref="RelayClientSettings"/> into relay client options, naming the key of each problem.</summary>
internal sealed class RelayClientSettingsValidation : NamedSettingsValidation<RelayClientSettings>
{
    /// <summary>The configuration section of a relay client's settings.</summary>
    public static string SectionOf(string name) => $"Synapse:RelayClients:{name}";

    protected override string Section(string name) => SectionOf(name);

    protected override void Check(RelayClientSettings settings, string section, List<string> problems)
    {
        _ = ToOptions(settings, section, problems);
        IdentityFiles.Check(section, settings.IdentityFile, settings.IdentityPassphraseVariable, problems);
    }

    /// <summary>The relay client options the settings describe; problems go to <paramref name="problems"/>.</summary>
    public static RelayClientOptions ToOptions(RelayClientSettings settings, string section, List<string> problems)
    {
        var relays = new List<RelayEndpoint>();
        if (settings.Relays.Length == 0)
        {
            problems.Add($"{section}:Relays: missing; list at least one relay, e.g. [{{ \"Address\": \"127.0.0.1:7400\" }}]");
        }

        for (var i = 0; i < settings.Relays.Length; i++)
        {
            var relay = settings.Relays[i];
            AgentId? expected = null;
            if (relay.Id is { } id)
            {
                if (AgentId.TryParse(id, out var parsed, out var error))
                {
                    expected = parsed;
                }
                else
                {
                    problems.Add($"{section}:Relays:{i}:Id: '{id}' is not an agent id ({error})");
                }
            }

            if (relay.Address is null)
            {
                problems.Add($"{section}:Relays:{i}:Address: missing; set the relay's HOST:PORT");
            }
            else if (!NodeAddress.TryParse(relay.Address, out var address, out var error))
            {
                problems.Add($"{section}:Relays:{i}:Address: '{relay.Address}' is not an address: {error}");
            }
            else
            {
                relays.Add(new RelayEndpoint(address.ToEndPoint(), expected));
            }
        }

        foreach (var (key, value) in new[] { ("ConnectTimeout", settings.ConnectTimeout), ("RetryDelay", settings.RetryDelay) })
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{section}:{key}: must be positive, not {value}");
            }
        }

        var options = new RelayClientOptions { Relays = relays };
        return options with
        {
            ConnectTimeout = settings.ConnectTimeout ?? options.ConnectTimeout,
            RetryDelay = settings.RetryDelay ?? options.RetryDelay,
        };
    }
}
