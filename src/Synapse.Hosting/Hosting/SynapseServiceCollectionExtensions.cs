using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
        return new SynapseBuilder(services);
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

    private sealed class AgentNames
    {
        public HashSet<string> Set { get; } = new(StringComparer.Ordinal);
    }
}
