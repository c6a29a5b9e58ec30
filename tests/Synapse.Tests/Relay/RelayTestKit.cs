using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Outbox;
using Synapse.Relay.Server;

namespace Synapse.Tests.Relay;

/// <summary>Relays and agents on loopback for the relay tests, with the relay's log captured.</summary>
internal static class RelayTestKit
{
    public static RelayOptions Options(Func<RelayOptions, RelayOptions>? adjust = null)
    {
        var options = new RelayOptions { Host = "127.0.0.1", Port = 0, Logger = new RelayLogOptions { LogLevel = RelayLogLevel.Debug, EnableConsoleLog = true } };
        return adjust is null ? options : adjust(options);
    }

    public static async Task<(RelayServer Relay, StringWriter Log)> StartRelayAsync(RelayOptions? options = null, AgentIdentity? identity = null)
    {
        options ??= Options();
        var log = new StringWriter();
        var relay = new RelayServer(options, identity, new RelayLog("synapse.relay", options.Logger, TextWriter.Synchronized(log)));
        await relay.StartAsync();
        return (relay, log);
    }

    public static TestAgent Agent(string name, params RelayServer[] relays) =>
        new(name, relays.Select(relay => new RelayEndpoint(relay.LocalEndPoint, relay.Id)).ToArray(), dataDirectory: null);

    /// <summary>
    /// Backpressure by bytes only, at thresholds a flooder on loopback reaches within seconds once a member stops
    /// reading (the kernel's socket buffers fill first).
    /// </summary>
    public static BackpressurePolicy FloodPolicy => new()
    {
        ThrottleThreshold = 1_000_000,
        FlowControlThreshold = 2_000_000,
        DisconnectThreshold = 3_000_000,
        ThrottleThresholdBytes = 256 * 1024,
        FlowControlThresholdBytes = 1024 * 1024,
        DisconnectThresholdBytes = 4 * 1024 * 1024,
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task EventuallyAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>An agent with a relay client that records what its handler receives.</summary>
internal sealed class TestAgent : IAsyncDisposable
{
    public TestAgent(string name, IReadOnlyList<RelayEndpoint> relays, string? dataDirectory, AgentIdentity? identity = null)
    {
        Name = name;
        Identity = identity ?? AgentIdentity.Generate();
        EncryptionKey = EncryptionKeyPair.Derive(Identity);
        Client = new RelayClient(Identity, EncryptionKey, new RelayClientOptions
        {
            Relays = relays,
            OpenStore = dataDirectory is null ? null : SqliteRelayStore.In(dataDirectory),
            Backoff = new ReconnectBackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200), AttemptsPerEndpoint = 2 },
            RetryDelay = TimeSpan.FromMilliseconds(100),
        }, Logs);
        Client.OnMessage((message, _) =>
        {
            Received.Enqueue(message);
            return ValueTask.CompletedTask;
        });
        Client.Notice += (code, _) => Notices.Enqueue(code);
    }

    public string Name { get; }

    public AgentIdentity Identity { get; }

    public EncryptionKeyPair EncryptionKey { get; }

    public RelayClient Client { get; }

    /// <summary>What the client logged, by category.</summary>
    public ListLoggerFactory Logs { get; } = new();

    public ConcurrentQueue<RelayMessage> Received { get; } = new();

    public ConcurrentQueue<string> Notices { get; } = new();

    public IEnumerable<string> Texts => Received.Select(message => Encoding.UTF8.GetString(message.Payload.Span));

    public async Task<TestAgent> StartAsync()
    {
        await Client.StartAsync();
        await Client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Identity.Dispose();
    }
}
