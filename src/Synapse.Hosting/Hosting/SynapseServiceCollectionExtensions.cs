using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synapse.Client;
using Synapse.Relay.Client;
using Synapse.Rpc;
using Synapse.Swarm;
using Synapse.Tasks;

namespace Synapse.Hosting;

/// <summary>Adds Synapse agents to an app's services, each run as a hosted service.</summary>
public static class SynapseServiceCollectionExtensions
{
    /// <summary>Adds what every Synapse app needs; add agents to the builder it returns.</summary>
    /// <param name="services">The app's services.</param>
    /// <returns>A builder for agents.</returns>
    public static ISynapseBuilder AddSynapse(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton<SynapseAgents>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentSettings>, AgentSettingsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClientSettings>, ClientSettingsValidation>());
        return new SynapseBuilder(services);
    }

    /// <summary>
    /// Registers a generated typed client, as <c>AddGrpcClient</c> does: <typeparamref name="TClient"/> (and
    /// <typeparamref name="TInterface"/>, the interface the generator emits beside it) resolve from the services, keyed
    /// by <paramref name="name"/> and, for the first client of that interface, without a key. Its connection is a
    /// <see cref="SynapseClient"/> shared by everything resolved under that name and disposed with the container. The
    /// node's address and the client's settings come from the configuration section <c>Synapse:Clients:{name}</c>,
    /// checked when the app starts.
    /// </summary>
    /// <typeparam name="TInterface">The client's interface (<c>ICalculatorClient</c>): what application code takes, and what tests fake.</typeparam>
    /// <typeparam name="TClient">The generated client (<c>CalculatorClient</c>).</typeparam>
    /// <param name="builder">The builder from <see cref="AddSynapse"/>.</param>
    /// <param name="name">The client's name: its configuration section and its service key.</param>
    /// <param name="configure">Adjusts the client options after configuration is applied.</param>
    /// <returns>The builder.</returns>
    public static ISynapseBuilder AddClient<TInterface, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TClient>(
        this ISynapseBuilder builder, string name, Action<SynapseClientOptions>? configure = null)
        where TInterface : class
        where TClient : class, TInterface
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        services.AddOptions<ClientSettings>(name)
            .BindConfiguration(ClientSettingsValidation.SectionOf(name), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddKeyedSingleton(name, (provider, _) =>
        {
            var problems = new List<string>();
            var settings = provider.GetRequiredService<IOptionsMonitor<ClientSettings>>().Get(name);
            var (address, options) = ClientSettingsValidation.ToClient(settings, ClientSettingsValidation.SectionOf(name), problems);
            if (address is null || problems.Count > 0)
            {
                throw new OptionsValidationException(name, typeof(ClientSettings), problems);
            }

            options.Identity = provider.GetRequiredKeyedService<ClientIdentity>(name).Identity;
            configure?.Invoke(options);
            return new SynapseClient(address.ToEndPoint(), options, provider.GetService<ILoggerFactory>(), provider.GetService<IMeterFactory>());
        });
        services.TryAddKeyedSingleton(name, (provider, _) =>
        {
            var settings = provider.GetRequiredService<IOptionsMonitor<ClientSettings>>().Get(name);
            return new ClientIdentity(IdentityFiles.Load(settings.IdentityFile, settings.IdentityPassphraseVariable));
        });
        services.AddKeyedSingleton<TClient>(name, (provider, key) => ActivatorUtilities.CreateInstance<TClient>(provider, provider.GetRequiredKeyedService<SynapseClient>(key)));
        services.AddKeyedSingleton<TInterface>(name, (provider, key) => provider.GetRequiredKeyedService<TClient>(key));
        services.TryAddSingleton<TInterface>(provider => provider.GetRequiredKeyedService<TInterface>(name));
        services.TryAddSingleton<TClient>(provider => provider.GetRequiredKeyedService<TClient>(name));
        return builder;
    }

    /// <summary>
    /// Runs an agent as a hosted service: it starts with the app, listening on its own port, and stops (draining calls
    /// in flight within the app's shutdown timeout) when the app stops. The agent is resolved from the services (a
    /// singleton, its constructor's dependencies injected, unless the app registered it otherwise); its settings are
    /// bound from the configuration section <c>Synapse:Agents:{name}</c> and checked when the app starts.
    /// </summary>
    /// <typeparam name="TAgent">An <see cref="AgentNodeAttribute"/> class.</typeparam>
    /// <param name="builder">The builder from <see cref="AddSynapse"/>.</param>
    /// <param name="name">The agent's name in this app: its configuration section and its key in <see cref="SynapseAgents"/>.</param>
    /// <param name="configure">Adjusts the host options after configuration is applied (code has the last word).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">An agent of this name was already added.</exception>
    public static ISynapseBuilder AddAgent<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAgent>(
        this ISynapseBuilder builder, string name, Action<AgentHostOptions>? configure = null)
        where TAgent : class, IAgentNode
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        var names = Names(services);
        if (!names.Add(name))
        {
            throw new ArgumentException($"An agent named '{name}' was already added; each agent needs its own name (and configuration section).", nameof(name));
        }

        services.TryAddSingleton<TAgent>();
        services.AddOptions<AgentSettings>(name)
            .BindConfiguration(AgentSettingsValidation.SectionOf(name), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IHostedService>(provider => new AgentHostedService(
            name,
            provider.GetRequiredService<TAgent>,
            provider.GetRequiredService<IOptionsMonitor<AgentSettings>>().Get(name),
            provider.GetKeyedService<AgentSwarm>(name)?.Configure,
            provider.GetKeyedService<IAgentTaskStore>(name),
            provider.GetKeyedService<ISwarmConversationLog>(name),
            configure,
            provider.GetRequiredService<SynapseAgents>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<IMeterFactory>(),
            provider.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// Adds a relay client that starts connecting with the app and closes with it: a <see cref="RelayClient"/> resolved
    /// from the services, keyed by <paramref name="name"/> and, for the first relay client, without a key, so agents
    /// and other services take it in their constructors. Its relays and identity come from the configuration section
    /// <c>Synapse:RelayClients:{name}</c>, checked when the app starts; its encryption key is derived from its identity.
    /// A relay that is down does not stop the app: the client keeps trying, along its list, and keeps what is sent.
    /// </summary>
    /// <param name="builder">The builder from <see cref="AddSynapse"/>.</param>
    /// <param name="name">The client's name: its configuration section and its service key.</param>
    /// <param name="configure">Adjusts the client options after configuration is applied (a durable store, backoff…).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">A relay client of this name was already added.</exception>
    public static ISynapseBuilder AddRelayClient(this ISynapseBuilder builder, string name, Func<RelayClientOptions, RelayClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        if (!Registry<RelayClientNames>(services).Set.Add(name))
        {
            throw new ArgumentException($"A relay client named '{name}' was already added; each needs its own name (and configuration section).", nameof(name));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RelayClientSettings>, RelayClientSettingsValidation>());
        services.AddOptions<RelayClientSettings>(name)
            .BindConfiguration(RelayClientSettingsValidation.SectionOf(name), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddKeyedSingleton(name, (provider, _) => new HostedRelayClient(
            name,
            () => provider.GetRequiredService<IOptionsMonitor<RelayClientSettings>>().Get(name),
            configure,
            provider.GetService<ILoggerFactory>()));
        services.AddKeyedSingleton(name, (provider, key) => provider.GetRequiredKeyedService<HostedRelayClient>(key).Client);
        services.TryAddSingleton(provider => provider.GetRequiredKeyedService<RelayClient>(name));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredKeyedService<HostedRelayClient>(name));
        return builder;
    }

    /// <summary>
    /// Makes an added agent a member of a synapse-p2p swarm, as a <c>Swarm</c> section in its settings does
    /// (<c>Synapse:Agents:{name}:Swarm</c>: name, team, seeds, heartbeats…); <paramref name="configure"/> adjusts what
    /// configuration says. The agent joins through the seeds when it starts, and leaves when it stops.
    /// </summary>
    /// <param name="builder">The builder from <see cref="AddSynapse"/>.</param>
    /// <param name="agentName">The name the agent was added with.</param>
    /// <param name="configure">Adjusts the swarm options after configuration is applied.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">No agent of that name was added (add it first), or it already has a swarm from code.</exception>
    public static ISynapseBuilder AddSwarm(this ISynapseBuilder builder, string agentName, Action<SwarmOptions>? configure = null)
    {
        RequireAgent(builder, agentName, "swarm");
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(AgentSwarm) && Equals(d.ServiceKey, agentName)))
        {
            throw new ArgumentException($"Agent '{agentName}' already has a swarm; an agent is a member of one swarm.", nameof(agentName));
        }

        services.AddKeyedSingleton(agentName, new AgentSwarm(configure ?? (_ => { })));
        return builder;
    }

    /// <summary>Checks that <paramref name="agentName"/> names an added agent, which what is added next (<paramref name="what"/>) belongs to.</summary>
    internal static void RequireAgent(ISynapseBuilder builder, string agentName, string what)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentName);
        if (!Names(builder.Services).Contains(agentName))
        {
            throw new ArgumentException($"No agent named '{agentName}' was added; add it with AddAgent before its {what}.", nameof(agentName));
        }
    }

    /// <summary>The names of the agents added so far, kept with the services so each builder sees the same set.</summary>
    private static HashSet<string> Names(IServiceCollection services) => Registry<AgentNames>(services).Set;

    /// <summary>A set of names kept with the services (one instance per app), created on first use.</summary>
    private static TNames Registry<TNames>(IServiceCollection services)
        where TNames : AddedNames, new()
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(TNames))?.ImplementationInstance is TNames names)
        {
            return names;
        }

        var added = new TNames();
        services.AddSingleton(added);
        return added;
    }
}
