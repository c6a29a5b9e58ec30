using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Identity;
using Synapse.Rpc;
using Synapse.Swarm;
using Synapse.Tasks;

namespace Synapse.Hosting;

/// <summary>
/// One agent in the generic host: builds its <see cref="AgentHost"/> when the app starts (settings, identity, swarm,
/// the agent and a <see cref="TimeProvider"/> from DI, then the app's own adjustments) and stops it when the app stops. A failure to start is logged and
/// thrown, so the app does not run without its agent.
/// </summary>
internal sealed class AgentHostedService(
    string name,
    Func<IAgentNode> agent,
    AgentSettings settings,
    Action<SwarmOptions>? swarm,
    IAgentTaskStore? taskStore,
    ISwarmConversationLog? conversationLog,
    Action<AgentHostOptions>? configure,
    SynapseAgents agents,
    ILoggerFactory? loggerFactory,
    IMeterFactory? meterFactory,
    TimeProvider? timeProvider) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(AgentHostedService).FullName!);
    private AgentHost? _host;
    private AgentIdentity? _identity;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var problems = new List<string>();
            var options = AgentSettingsValidation.ToHostOptions(settings, AgentSettingsValidation.SectionOf(name), problems);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", problems)); // validation on start said so already
            }

            if (IdentityFiles.Load(settings.IdentityFile, settings.IdentityPassphraseVariable) is { } identity)
            {
                options.Identity = _identity = identity;
            }

            if (swarm is not null)
            {
                swarm(options.SwarmNode ??= new SwarmOptions());
            }

            if (options.SwarmNode is { } swarmNode)
            {
                swarmNode.ConversationLog = conversationLog;
            }

            if (timeProvider is not null)
            {
                options.TimeProvider = timeProvider;
            }

            if (options.Tasks is { } tasks)
            {
                tasks.Store = taskStore;
            }

            configure?.Invoke(options);
            _host = new AgentHost(agent(), options, loggerFactory, meterFactory);
            await _host.StartAsync(cancellationToken).ConfigureAwait(false);
            agents.Started(name, _host);
            HostingLog.AgentStarted(_logger, name, _host.LocalEndPoint, _host.Identity.Id.ToString());
        }
        catch (Exception e)
        {
            HostingLog.AgentFailedToStart(_logger, e, name, e.Message);
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is not { } host)
        {
            return;
        }

        agents.Stopped(name);
        await host.StopAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.AgentStopped(_logger, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            agents.Stopped(name);
            await host.DisposeAsync().ConfigureAwait(false);
        }

        _identity?.Dispose();
        _identity = null;
    }
}
