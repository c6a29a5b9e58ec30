using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synapse.Hosting;
using Synapse.Relay.Backplane;
using Synapse.Relay.Configuration;

namespace Synapse.Relay.Hosting;

/// <summary>Runs a Synapse relay server in an app's generic host.</summary>
public static class SynapseRelayBuilderExtensions
{
    /// <summary>The configuration section of the relay's settings.</summary>
    public const string SectionName = "Synapse:Relay";

    /// <summary>
    /// Runs a relay server as a hosted service: it starts with the app and stops with it (telling connected agents it
    /// is shutting down). Its settings come from the configuration section <c>Synapse:Relay</c>: either
    /// <c>ConfigFile</c>, the path of a Summoner-style JSON file, or that file's keys in the section itself
    /// (<c>host</c>, <c>port</c>, <c>hyper_parameters</c>, …). They are read and checked when the app starts, and a
    /// bad key or value stops the start with an error naming it. The relay logs through the app's logging (category
    /// <c>Synapse.Relay.Server</c>) with its <c>log_keys</c> privacy filter, and measures with the app's meter factory.
    /// When the settings name a backplane, <paramref name="backplane"/> makes it from the relay's options
    /// (<c>options =&gt; new RabbitMqBackplane(options)</c>); without one, an <see cref="IRelayBackplane"/> registered in
    /// the services is used.
    /// </summary>
    /// <param name="builder">The builder from <c>AddSynapse()</c>.</param>
    /// <param name="configure">Adjusts the options read from configuration (code has the last word).</param>
    /// <param name="backplane">Makes the backplane the settings name, from the relay's options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A relay was already added.</exception>
    public static ISynapseBuilder AddRelay(this ISynapseBuilder builder, Func<RelayOptions, RelayOptions>? configure = null, Func<RelayOptions, IRelayBackplane>? backplane = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(SynapseRelay)))
        {
            throw new InvalidOperationException("A relay was already added; an app runs one relay server (it listens on one port, and a Summoner port).");
        }

        services.AddOptions<RelaySettings>()
            .Configure<IConfiguration>((settings, configuration) => settings.Read(configuration.GetSection(SectionName), configure))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RelaySettings>, RelaySettings.Validation>());
        services.AddSingleton(provider => new SynapseRelay(
            () => provider.GetRequiredService<IOptions<RelaySettings>>().Value,
            options => backplane?.Invoke(options) ?? provider.GetService<IRelayBackplane>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<IMeterFactory>()));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<SynapseRelay>());
        return builder;
    }

    /// <summary>
    /// Adds a check that the relay added with <see cref="AddRelay"/> is running and, when it has a backplane, that the
    /// backplane reaches its broker: healthy with its endpoint, identity, connected agents and backplane state in the
    /// report's data, or <paramref name="failureStatus"/> when it is not running or its broker is unreachable.
    /// </summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What a relay that is not running makes the check report (unhealthy by default).</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddSynapseRelay(this IHealthChecksBuilder builder, string name = "synapse-relay", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, provider => provider.GetRequiredService<SynapseRelay>(), failureStatus, tags));
    }
}
