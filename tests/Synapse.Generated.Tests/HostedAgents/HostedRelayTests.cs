using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.Relay.Backplane;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.Hosting;
using Synapse.Swarm;

namespace Synapse.Generated.Tests.HostedAgents;

/// <summary>A relay server, relay clients, swarms and client identities in the generic host, from configuration.</summary>
public sealed class HostedRelayTests
{
    [Fact]
    public async Task A_relay_and_two_relay_clients_from_configuration_carry_a_message_and_report_their_health()
    {
        var port = HostedAgentTests.FreePort();
        using var app = Build($$"""
            { "Synapse": {
                "Relay": { "host": "127.0.0.1", "port": "{{port}}", "hyper_parameters": { "max_connections": "50", "quarantine_by_address": "false" } },
                "RelayClients": {
                  "alice": { "Relays": [ { "Address": "127.0.0.1:{{port}}" } ], "ConnectTimeout": "00:00:03" },
                  "bob": { "Relays": [ { "Address": "127.0.0.1:{{port}}" } ] } } } }
            """, synapse => synapse.AddRelay().AddRelayClient("alice").AddRelayClient("bob"),
            services => services.AddHealthChecks().AddSynapseRelay().AddSynapseRelayClients());
        var health = app.Services.GetRequiredService<HealthCheckService>();
        var before = await health.CheckHealthAsync();

        await app.StartAsync();
        var relay = app.Services.GetRequiredService<SynapseRelay>().Server!;
        var alice = app.Services.GetRequiredKeyedService<RelayClient>("alice");
        var bob = app.Services.GetRequiredKeyedService<RelayClient>("bob");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.OnMessage((message, _) =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(message.Payload.Span));
            return ValueTask.CompletedTask;
        });
        await Task.WhenAll(alice.WaitConnectedAsync(), bob.WaitConnectedAsync()).WaitAsync(TimeSpan.FromSeconds(20));
        alice.Send(bob.Certificate, "through the hosted relay"u8);
        var running = await health.CheckHealthAsync();

        Assert.Equal("through the hosted relay", await received.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Same(alice, app.Services.GetRequiredService<RelayClient>()); // the first relay client is also the unkeyed one
        Assert.Equal((port, 50, false), (relay.LocalEndPoint.Port, relay.Options.MaxConnections, relay.Options.QuarantineByAddress));
        Assert.Equal((HealthStatus.Unhealthy, "the relay is not running"), (before.Status, before.Entries["synapse-relay"].Description));
        Assert.Equal(HealthStatus.Unhealthy, before.Entries["synapse-relay-clients"].Status);
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal(relay.Id.ToString(), running.Entries["synapse-relay"].Data["id"]);
        Assert.Equal(relay.LocalEndPoint.ToString(), running.Entries["synapse-relay-clients"].Data["alice"]);
        await app.StopAsync();
        Assert.Null(app.Services.GetRequiredService<SynapseRelay>().Server);
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task The_relay_reads_the_Summoner_style_file_that_ConfigFile_names()
    {
        var port = HostedAgentTests.FreePort();
        var file = Path.Combine(Path.GetTempPath(), $"synapse-relay-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""{ "host": "127.0.0.1", "port": {{port}}, "hyper_parameters": { "max_connections": 7 } }""");
        try
        {
            using var app = Build($$"""{ "Synapse": { "Relay": { "ConfigFile": "{{file}}" } } }""", synapse => synapse.AddRelay(options => options with { Version = "from-code" }));

            await app.StartAsync();
            var relay = app.Services.GetRequiredService<SynapseRelay>().Server!;

            Assert.Equal((port, 7, "from-code"), (relay.LocalEndPoint.Port, relay.Options.MaxConnections, relay.Options.Version));
            await app.StopAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("""{ "host": "127.0.0.1", "hyper_parameters": { "max_connections": "many" } }""", "Synapse:Relay: 'hyper_parameters.max_connections' expected an integer, got 'many'")]
    [InlineData("""{ "host": "127.0.0.1", "hyper_parameters": { "max_conections": "5" } }""", "Synapse:Relay: 'hyper_parameters.max_conections' is not a known key")]
    [InlineData("""{ "ConfigFile": "relay.json", "port": "7400" }""", "Synapse:Relay: 'port' is set beside ConfigFile")]
    [InlineData("""{ "ConfigFile": "/no/such/relay.json" }""", "Synapse:Relay:ConfigFile: cannot read '/no/such/relay.json'")]
    public async Task A_relay_setting_that_cannot_be_used_stops_the_app_at_start_naming_its_key(string relaySection, string named)
    {
        using var app = Build($$"""{ "Synapse": { "Relay": {{relaySection}} } }""", synapse => synapse.AddRelay());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task A_backplane_the_settings_name_is_made_by_the_factory_given_and_reported_by_the_health_check()
    {
        RelayOptions? seen = null;
        var backplane = new IdleBackplane();
        using var app = Build("""
            { "Synapse": { "Relay": { "host": "127.0.0.1", "port": "0", "backplane": { "rabbitmq": { "uri": "amqp://guest:guest@127.0.0.1:5672/", "prefix": "hosted" } } } } }
            """, synapse => synapse.AddRelay(backplane: options => { seen = options; return backplane; }),
            services => services.AddHealthChecks().AddSynapseRelay());

        await app.StartAsync();
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await app.StopAsync();

        Assert.Equal("hosted", seen!.Backplane!.Prefix);
        Assert.True(backplane.Started);
        Assert.Equal((HealthStatus.Healthy, "available"), (report.Status, report.Entries["synapse-relay"].Data["backplane"]));
    }

    [Fact]
    public async Task A_backplane_the_settings_name_without_a_way_to_make_it_stops_the_app_at_start()
    {
        using var app = Build("""
            { "Synapse": { "Relay": { "host": "127.0.0.1", "port": "0", "backplane": { "rabbitmq": { "uri": "amqp://guest:guest@127.0.0.1:5672/" } } } } }
            """, synapse => synapse.AddRelay());

        var error = await Assert.ThrowsAsync<RelayConfigurationException>(() => app.StartAsync());

        Assert.Equal("backplane", error.Key);
    }

    [Fact]
    public async Task The_relay_logs_through_the_app_logging_with_its_log_keys_filter()
    {
        var logs = new CapturingLoggerProvider();
        using var app = Build("""
            { "Synapse": { "Relay": { "host": "127.0.0.1", "port": "0", "logger": { "log_level": "DEBUG", "log_keys": [ "address" ] } } } }
            """, synapse => synapse.AddRelay(), services => services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)));

        await app.StartAsync();
        var relay = app.Services.GetRequiredService<SynapseRelay>().Server!;
        await app.StopAsync();

        var started = Assert.Single(logs.Entries, e => e.Category == "Synapse.Relay.Server" && e.Message.StartsWith("relay started", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal($"relay started address={relay.LocalEndPoint}", started.Message);
        Assert.Equal(["address", "{OriginalFormat}"], started.Fields.Select(f => f.Key));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(relay.Id.ToString(), StringComparison.Ordinal)); // relay_id is not in log_keys
    }

    [Fact]
    public async Task A_relay_client_setting_that_cannot_be_used_stops_the_app_at_start_naming_its_key()
    {
        using var app = Build("""
            { "Synapse": { "RelayClients": {
                "a": { "Relays": [ { "Address": "127.0.0.1" }, { "Address": "127.0.0.1:7400", "Id": "did:key:nope" } ] },
                "b": { } } } }
            """, synapse => synapse.AddRelayClient("a").AddRelayClient("b"));

        var error = await Assert.ThrowsAsync<AggregateException>(() => app.StartAsync());

        Assert.Contains("Synapse:RelayClients:a:Relays:0:Address: '127.0.0.1' is not an address", error.Message);
        Assert.Contains("Synapse:RelayClients:a:Relays:1:Id: 'did:key:nope' is not an agent id", error.Message);
        Assert.Contains("Synapse:RelayClients:b:Relays: missing", error.Message);
    }

    [Fact]
    public async Task Two_agents_form_a_swarm_from_configuration_and_code()
    {
        var seedPort = HostedAgentTests.FreePort();
        using var app = Build($$"""
            { "Synapse": { "Agents": {
                "seed": { "Port": {{seedPort}}, "Swarm": { "Name": "lab", "HeartbeatInterval": "00:00:01", "RequireSignedEvents": true,
                           "PeerKeys": { "auditor": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" } } },
                "worker": { "Port": 0 } } } }
            """, synapse => synapse
                .AddAgent<GreeterAgent>("seed")
                .AddAgent<CounterAgent>("worker")
                .AddSwarm("worker", swarm =>
                {
                    swarm.Swarm = "lab";
                    swarm.Seeds.Add($"127.0.0.1:{seedPort}");
                }));

        await app.StartAsync();
        var agents = app.Services.GetRequiredService<SynapseAgents>();
        var worker = agents["worker"].SwarmNode!;
        var seed = agents["seed"].SwarmNode!;

        await worker.Joined.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(seed.Membership.Peers, peer => peer.Port == agents["worker"].Port);
        Assert.Equal(("lab", TimeSpan.FromSeconds(1)), (seed.Options.Swarm, seed.Options.HeartbeatInterval));
        Assert.True(seed.Options.RequireSignedEvents && seed.Options.SignEvents);
        Assert.Equal("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", seed.Options.PeerKeys["auditor"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_swarm_setting_that_cannot_be_used_is_named_under_the_agents_swarm_section()
    {
        using var app = Build("""
            { "Synapse": { "Agents": { "a": { "Port": 0, "Swarm": { "Seeds": [ "127.0.0.1:notaport" ], "PeerTimeout": "-00:00:01" } } } } }
            """, synapse => synapse.AddAgent<GreeterAgent>("a"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Synapse:Agents:a:Swarm:PeerTimeout", error.Message);
    }

    [Fact]
    public void A_swarm_is_added_to_an_agent_that_was_added()
    {
        var synapse = new ServiceCollection().AddSynapse();

        var error = Assert.Throws<ArgumentException>(() => synapse.AddSwarm("nobody"));

        Assert.Contains("No agent named 'nobody' was added", error.Message);
    }

    [Fact]
    public async Task A_client_proves_the_identity_of_its_key_file()
    {
        var keyFile = Path.Combine(Path.GetTempPath(), $"synapse-client-{Guid.NewGuid():N}.key");
        using var identity = AgentIdentity.Generate();
        identity.Save(keyFile, passphrase: null);
        try
        {
            var port = HostedAgentTests.FreePort();
            using var app = Build($$"""
                { "Synapse": {
                    "Agents": { "greeter": { "Port": {{port}}, "SecureLinks": "Required", "AllowedCallers": { "greet": [ "{{identity.Id}}" ] } } },
                    "Clients": { "greeter": { "Address": "127.0.0.1:{{port}}", "Security": "Required", "IdentityFile": "{{keyFile}}" } } } }
                """, synapse => synapse.AddAgent<GreeterAgent>("greeter").AddClient<IGreeterAgentClient, GreeterAgentClient>("greeter"));

            await app.StartAsync();
            var client = app.Services.GetRequiredService<IGreeterAgentClient>();

            Assert.Equal("hello, ada", await client.GreetAsync("ada"));
            Assert.Equal(identity.Id, app.Services.GetRequiredKeyedService<SynapseClient>("greeter").Options.Identity!.Id);
            await app.StopAsync();
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    private static IHost Build(string json, Action<ISynapseBuilder> synapse, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddSingleton(new Greeting("hello"));
        services?.Invoke(builder.Services);
        synapse(builder.Services.AddSynapse());
        return builder.Build();
    }

    /// <summary>A backplane with nothing to carry: it only says it was started.</summary>
    private sealed class IdleBackplane : IRelayBackplane
    {
        public bool Started { get; private set; }

        public Task StartAsync(IRelayBackplaneHost host, CancellationToken cancellationToken)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public Task StopAsync() => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public ValueTask<BackplaneStatus> StoreDirectAsync(string recipient, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame) => new(BackplaneStatus.Stored);

        public IBackplaneMailbox OpenMailbox(string agent, Action<BackplaneDelivery> deliver) => throw new NotSupportedException("no agent connects in this test");

        public ValueTask<BackplaneStatus> PublishToRoomAsync(string room, string sender, Guid messageId, ReadOnlyMemory<byte> deliverFrame) => new(BackplaneStatus.Stored);

        public Task RoomMembershipChanged(string room) => Task.CompletedTask;

        public void CardStored(ReadOnlyMemory<byte> encodedCard)
        {
        }
    }

    /// <summary>Keeps every entry with its structured fields.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        public sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Fields);

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
        }
    }
}
