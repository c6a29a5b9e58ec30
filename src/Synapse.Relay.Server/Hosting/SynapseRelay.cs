using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Relay.Backplane;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;

namespace Synapse.Relay.Hosting;

/// <summary>
/// The relay server an app runs (added with <see cref="SynapseRelayBuilderExtensions.AddRelay"/>): created and started
/// with the app, stopped with it. A failure to start is logged and thrown, so the app does not run without its relay.
/// </summary>
public sealed class SynapseRelay : IHostedService, IHealthCheck, IAsyncDisposable
{
    private readonly Func<RelaySettings> _settings;
    private readonly Func<RelayOptions, IRelayBackplane?> _backplane;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory? _meterFactory;
    private readonly ILogger _logger;
    private RelayLog? _log;
    private volatile RelayServer? _server;

    internal SynapseRelay(Func<RelaySettings> settings, Func<RelayOptions, IRelayBackplane?> backplane, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        _settings = settings;
        _backplane = backplane;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _meterFactory = meterFactory;
        _logger = _loggerFactory.CreateLogger(typeof(SynapseRelay).FullName!);
    }

    /// <summary>The running relay; null before the app started it and after it stopped.</summary>
    public RelayServer? Server => _server;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var settings = _settings(); // read when the app starts, after validation on start
            var options = settings.Options ?? throw new InvalidOperationException(settings.Problem);
            _log = RelayLog.ToLogger("synapse.relay", options.Logger, _loggerFactory.CreateLogger("Synapse.Relay.Server"));
            var server = new RelayServer(options, log: _log, backplane: options.Backplane is null ? null : _backplane(options), meterFactory: _meterFactory);
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            _server = server;
        }
        catch (Exception e)
        {
            RelayHostingLog.FailedToStart(_logger, e, e.Message);
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the relay (telling connected agents it is shutting down) and closes its log.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_server is not { } server)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "the relay is not running"));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["endpoint"] = server.LocalEndPoint.ToString(),
            ["id"] = server.Id.ToString(),
            ["agents"] = server.ConnectedAgents,
        };
        if (server.SummonerEndPoint is { } summoner)
        {
            data["summoner_endpoint"] = summoner.ToString();
        }

        if (server.Statistics.BackplaneAvailable is { } available)
        {
            data["backplane"] = available ? "available" : "unavailable";
            if (!available)
            {
                return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "the relay's backplane cannot reach its broker", data: data));
            }
        }

        return Task.FromResult(HealthCheckResult.Healthy($"relay listening on {server.LocalEndPoint}", data));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        _log?.Dispose();
        _log = null;
    }
}
