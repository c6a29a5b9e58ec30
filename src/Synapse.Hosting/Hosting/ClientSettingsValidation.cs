using Synapse.Client;
using Synapse.Identity;

namespace Synapse.Hosting;

/// <summary>Turns <see cref="ClientSettings"/> into a client's address and options, naming the key of each problem.</summary>
internal sealed class ClientSettingsValidation : NamedSettingsValidation<ClientSettings>
{
    /// <summary>The configuration section of a client's settings.</summary>
    public static string SectionOf(string clientName) => $"Synapse:Clients:{clientName}";

    protected override string Section(string name) => SectionOf(name);

    protected override void Check(ClientSettings settings, string section, List<string> problems)
    {
        _ = ToClient(settings, section, problems);
        IdentityFiles.Check(section, settings.IdentityFile, settings.IdentityPassphraseVariable, problems);
    }

    /// <summary>The node's address and the client options the settings describe; problems go to <paramref name="problems"/>.</summary>
    public static (NodeAddress? Address, SynapseClientOptions Options) ToClient(ClientSettings settings, string section, List<string> problems)
    {
        NodeAddress? address = null;
        if (settings.Address is null)
        {
            problems.Add($"{section}:Address: missing; set the node's HOST:PORT, e.g. 127.0.0.1:9999");
        }
        else if (!NodeAddress.TryParse(settings.Address, out address, out var error))
        {
            problems.Add($"{section}:Address: '{settings.Address}' is not an address: {error}");
        }

        var options = new SynapseClientOptions();
        if (settings.ExpectedPeer is { } peer)
        {
            if (AgentId.TryParse(peer, out var id, out var error))
            {
                options.ExpectedPeer = id;
            }
            else
            {
                problems.Add($"{section}:ExpectedPeer: '{peer}' is not an agent id ({error})");
            }
        }

        foreach (var (key, value) in new[] { ("CallTimeout", settings.CallTimeout), ("ConnectTimeout", settings.ConnectTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{section}:{key}: must be positive, not {value}");
            }
        }

        if (settings.MaxFrameSize is < 64)
        {
            problems.Add($"{section}:MaxFrameSize: must be at least 64 bytes, not {settings.MaxFrameSize}");
        }

        options.Security = settings.Security ?? options.Security;
        options.Mode = settings.Mode ?? options.Mode;
        options.CallTimeout = settings.CallTimeout ?? options.CallTimeout;
        options.ConnectTimeout = settings.ConnectTimeout ?? options.ConnectTimeout;
        options.MaxFrameSize = settings.MaxFrameSize ?? options.MaxFrameSize;
        return (address, options);
    }
}
