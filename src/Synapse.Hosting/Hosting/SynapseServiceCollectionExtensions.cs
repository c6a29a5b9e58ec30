using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synapse.Client;
using Synapse.Rpc;

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

            configure?.Invoke(options);
            return new SynapseClient(address.ToEndPoint(), options, provider.GetService<ILoggerFactory>(), provider.GetService<IMeterFactory>());
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
            configure,
            provider.GetRequiredService<SynapseAgents>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<IMeterFactory>()));
        return builder;
    }

    /// <summary>The names of the agents added so far, kept with the services so each builder sees the same set.</summary>
    private static HashSet<string> Names(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(AgentNames))?.ImplementationInstance is AgentNames names)
        {
            return names.Set;
        }

        var added = new AgentNames();
        services.AddSingleton(added);
        return added.Set;
    }
}
