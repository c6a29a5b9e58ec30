using System.Net;
using Synapse.Identity;
using Synapse.Swarm;
using Synapse.Tasks;

namespace Synapse.Hosting;

/// <summary>
/// Turns <see cref="AgentSettings"/> into <see cref="AgentHostOptions"/> and says what cannot be used, naming each
/// configuration key: the check behind <c>ValidateOnStart</c>, and the conversion the hosted agent starts with.
/// </summary>
internal sealed class AgentSettingsValidation : NamedSettingsValidation<AgentSettings>
{
    /// <summary>The configuration section of an agent's settings.</summary>
    public static string SectionOf(string agentName) => $"Synapse:Agents:{agentName}";

    protected override string Section(string name) => SectionOf(name);

    protected override void Check(AgentSettings settings, string section, List<string> problems)
    {
        var hostOptions = ToHostOptions(settings, section, problems);
        IdentityFiles.Check(section, settings.IdentityFile, settings.IdentityPassphraseVariable, problems);
        var swarm = hostOptions.SwarmNode;
        var tasks = hostOptions.Tasks;
        (hostOptions.SwarmNode, hostOptions.Tasks) = (null, null);
        Check(hostOptions, section, problems);
        if (swarm is not null)
        {
            Check(new AgentHostOptions { SwarmNode = swarm }, section + ":Swarm", problems);
        }

        if (tasks is not null)
        {
            Check(new AgentHostOptions { Tasks = tasks }, section + ":Tasks", problems);
        }
    }

    private static void Check(AgentHostOptions options, string section, List<string> problems)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            problems.Add($"{section}:{e.ParamName}: {FirstLine(e.Message)}");
        }
    }

    /// <summary>The host options the settings describe; what cannot be converted is added to <paramref name="problems"/>.</summary>
    public static AgentHostOptions ToHostOptions(AgentSettings settings, string section, List<string> problems)
    {
        var options = new AgentHostOptions();
        if (settings.BindAddress is { } address)
        {
            if (IPAddress.TryParse(address, out var parsed))
            {
                options.BindAddress = parsed;
            }
            else
            {
                problems.Add($"{section}:BindAddress: '{address}' is not an IP address (use for example 127.0.0.1, 0.0.0.0 or ::)");
            }
        }

        foreach (var (endpoint, callers) in settings.AllowedCallers)
        {
            for (var i = 0; i < callers.Length; i++)
            {
                if (AgentId.TryParse(callers[i], out var caller, out var error))
                {
                    options.AllowCallers(endpoint, caller);
                }
                else
                {
                    problems.Add($"{section}:AllowedCallers:{endpoint}:{i}: '{callers[i]}' is not an agent id ({error})");
                }
            }
        }

        options.Port = settings.Port ?? options.Port;
        options.AdvertisedAddress = settings.AdvertisedAddress ?? options.AdvertisedAddress;
        options.NodeId = settings.NodeId ?? options.NodeId;
        options.SecureLinks = settings.SecureLinks ?? options.SecureLinks;
        options.HandshakeTimeout = settings.HandshakeTimeout ?? options.HandshakeTimeout;
        options.FrameReadTimeout = settings.FrameReadTimeout ?? options.FrameReadTimeout;
        options.IdleTimeout = settings.IdleTimeout ?? options.IdleTimeout;
        options.WriteTimeout = settings.WriteTimeout ?? options.WriteTimeout;
        options.DrainTimeout = settings.DrainTimeout ?? options.DrainTimeout;
        options.MaxFrameSize = settings.MaxFrameSize ?? options.MaxFrameSize;
        options.MaxPartialFrameBytes = settings.MaxPartialFrameBytes ?? options.MaxPartialFrameBytes;
        options.MaxConnections = settings.MaxConnections ?? options.MaxConnections;
        options.MaxPendingConnections = settings.MaxPendingConnections ?? options.MaxPendingConnections;
        options.MaxConcurrentCallsPerConnection = settings.MaxConcurrentCallsPerConnection ?? options.MaxConcurrentCallsPerConnection;
        options.SwarmNode = settings.Swarm?.ToOptions();
        options.Tasks = settings.Tasks?.ToOptions();
        return options;
    }

    /// <summary>The first line of an argument exception's message, without its "(Parameter '…')" suffix.</summary>
    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var parameter = line.IndexOf(" (Parameter ", StringComparison.Ordinal);
        return parameter < 0 ? line : line[..parameter];
    }
}
