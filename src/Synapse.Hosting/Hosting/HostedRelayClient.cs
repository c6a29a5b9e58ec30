using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay.Client;

namespace Synapse.Hosting;

/// <summary>
/// A relay client of the app (added with <c>AddRelayClient</c>): owns its identity, encryption key and client, starts
/// connecting when the app starts (a relay that is down does not stop the app: the client keeps trying and its outbox
/// keeps what is sent meanwhile) and closes when the app stops.
/// </summary>
internal sealed class HostedRelayClient : IHostedService, IAsyncDisposable
{
    private readonly Func<RelayClientSettings> _settings;
    private readonly Func<RelayClientOptions, RelayClientOptions>? _configure;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lazy<(AgentIdentity Identity, EncryptionKeyPair Key, RelayClient Client)> _created;
    private int _disposed;

    public HostedRelayClient(string name, Func<RelayClientSettings> settings, Func<RelayClientOptions, RelayClientOptions>? configure, ILoggerFactory? loggerFactory)
    {
        Name = name;
        _settings = settings;
        _configure = configure;
        _loggerFactory = loggerFactory;
        _logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger(typeof(HostedRelayClient).FullName!);
        _created = new(Create);
    }

    public string Name { get; }

    /// <summary>The client, created on first use: after the app checked the settings (resolving the hosted services must not fail first).</summary>
    public RelayClient Client => _created.Value.Client;

    private (AgentIdentity, EncryptionKeyPair, RelayClient) Create()
    {
        var settings = _settings();
        var problems = new List<string>();
        var options = RelayClientSettingsValidation.ToOptions(settings, RelayClientSettingsValidation.SectionOf(Name), problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems)); // validation on start said so already
        }

        var identity = IdentityFiles.Load(settings.IdentityFile, settings.IdentityPassphraseVariable) ?? AgentIdentity.Generate();
        var key = EncryptionKeyPair.Derive(identity);
        return (identity, key, new RelayClient(identity, key, _configure is null ? options : _configure(options), _loggerFactory));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Client.StartAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.RelayClientStarted(_logger, Name, Client.Id.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.RelayClientStopped(_logger, Name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_created.IsValueCreated)
        {
            var (identity, key, client) = _created.Value;
            await client.DisposeAsync().ConfigureAwait(false);
            key.Dispose();
            identity.Dispose();
        }
    }
}
