using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.MessagePack;

namespace Synapse.Generated.Tests.HostedAgents;

/// <summary>Agents in the generic host: built by DI, configured from JSON, started and stopped with the app.</summary>
public sealed class HostedAgentTests
{
    [Fact]
    public async Task Two_agents_built_by_DI_start_with_the_app_each_on_its_own_port_and_stop_with_it()
    {
        using var app = Build("""
            { "Synapse": { "Agents": {
                "greeter": { "BindAddress": "127.0.0.1", "Port": 0 },
                "counter": { "Port": 0, "SecureLinks": "Optional" } } } }
            """, services => services.AddSingleton(new Greeting("hello from DI")));

        await app.StartAsync();
        var agents = app.Services.GetRequiredService<SynapseAgents>();
        var greeterPort = agents["greeter"].Port;
        var counterPort = agents["counter"].Port;

        Assert.Equal(["counter", "greeter"], agents.Names.Order(StringComparer.Ordinal));
        Assert.NotEqual(greeterPort, counterPort);
        await using (var greeter = new SynapseClient("127.0.0.1", greeterPort))
        await using (var counter = new SynapseClient("127.0.0.1", counterPort))
        {
            Assert.Equal("hello from DI, ada", (await greeter.CallAsync("greet", [(MsgPackValue)"ada"])).AsString());
            Assert.Equal(1, (await counter.CallAsync("count")).AsInt64());
            Assert.Equal(2, (await counter.CallAsync("count")).AsInt64());
        }

        Assert.Same(app.Services.GetRequiredService<CounterAgent>(), app.Services.GetRequiredService<CounterAgent>());
        Assert.Equal(SecureLinkPolicy.Optional, agents["counter"].Options.SecureLinks);

        await app.StopAsync();
        Assert.Empty(agents.Names);
        await using var late = new SynapseClient("127.0.0.1", greeterPort);
        await Assert.ThrowsAnyAsync<Exception>(() => late.PingAsync());
    }

    [Fact]
    public async Task A_time_provider_from_the_services_is_the_clock_of_the_schedules()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var app = Build("""{ "Synapse": { "Agents": { "a": { "Port": 0 } } } }""", services => services.AddSingleton<TimeProvider>(clock));

        await app.StartAsync();

        Assert.Same(clock, app.Services.GetRequiredService<SynapseAgents>()["a"].Options.TimeProvider);
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_one_the_schedules_use_the_system_clock()
    {
        using var app = Build("""{ "Synapse": { "Agents": { "a": { "Port": 0 } } } }""");

        await app.StartAsync();

        Assert.Same(TimeProvider.System, app.Services.GetRequiredService<SynapseAgents>()["a"].Options.TimeProvider);
        await app.StopAsync();
    }

    [Fact]
    public async Task An_address_from_configuration_is_bound_not_ignored()
    {
        using var app = Build("""{ "Synapse": { "Agents": { "a": { "BindAddress": "0.0.0.0", "Port": 0 } } } }""");

        await app.StartAsync();
        var host = app.Services.GetRequiredService<SynapseAgents>()["a"];

        Assert.Equal(IPAddress.Any, ((IPEndPoint)host.LocalEndPoint).Address);
        await app.StopAsync();
    }

    [Fact]
    public async Task Values_that_cannot_be_used_stop_the_app_at_start_each_named_by_its_key()
    {
        using var app = Build("""
            { "Synapse": { "Agents": { "a": {
                "BindAddress": "not-an-address",
                "IdleTimeout": "-00:00:01",
                "AllowedCallers": { "secret": [ "did:key:nope" ] },
                "IdentityFile": "/nonexistent/agent.key" } } } }
            """);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Synapse:Agents:a:BindAddress: 'not-an-address' is not an IP address", error.Message);
        Assert.Contains("Synapse:Agents:a:IdleTimeout: IdleTimeout must be positive", error.Message);
        Assert.Contains("Synapse:Agents:a:AllowedCallers:secret:0: 'did:key:nope' is not an agent id", error.Message);
        Assert.Contains("Synapse:Agents:a:IdentityFile: no key file at '/nonexistent/agent.key'", error.Message);
        Assert.Empty(app.Services.GetRequiredService<SynapseAgents>().Names);
    }

    [Theory]
    [InlineData("""{ "IdleTimeout": "soon" }""", "Synapse:Agents:a:IdleTimeout")]
    [InlineData("""{ "Port": "eighty" }""", "Synapse:Agents:a:Port")]
    [InlineData("""{ "SecureLinks": "Sometimes" }""", "Synapse:Agents:a:SecureLinks")]
    [InlineData("""{ "BindAdress": "0.0.0.0" }""", "'BindAdress'")]
    public async Task A_value_of_the_wrong_type_or_an_unknown_key_is_an_error_naming_it(string agentSection, string named)
    {
        using var app = Build($$"""{ "Synapse": { "Agents": { "a": {{agentSection}} } } }""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task The_identity_comes_from_its_key_file_and_code_has_the_last_word()
    {
        var directory = Directory.CreateTempSubdirectory("synapse-hosting-");
        try
        {
            var keyFile = Path.Combine(directory.FullName, "agent.key");
            using var identity = AgentIdentity.Generate();
            identity.Save(keyFile, "correct horse");
            var variable = "SYNAPSE_TEST_PASSPHRASE_" + Guid.NewGuid().ToString("N");
            Environment.SetEnvironmentVariable(variable, "correct horse");
            using var app = Build($$"""
                { "Synapse": { "Agents": { "a": {
                    "Port": 0, "NodeId": "from-configuration",
                    "IdentityFile": "{{keyFile}}", "IdentityPassphraseVariable": "{{variable}}" } } } }
                """, configure: options => options.NodeId = "from-code");

            await app.StartAsync();
            var host = app.Services.GetRequiredService<SynapseAgents>()["a"];

            Assert.Equal(identity.Id, host.Identity.Id);
            Assert.Equal("from-code", host.Options.NodeId);
            await app.StopAsync();
            Environment.SetEnvironmentVariable(variable, null);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_agents_health_check_is_healthy_only_while_every_agent_runs()
    {
        using var app = Build("""{ "Synapse": { "Agents": { "greeter": { "Port": 0 }, "counter": { "Port": 0 } } } }""",
            services => services.AddHealthChecks().AddSynapseAgents(tags: ["ready"]));
        var health = app.Services.GetRequiredService<HealthCheckService>();

        var before = await health.CheckHealthAsync();
        await app.StartAsync();
        var running = await health.CheckHealthAsync();
        var endpoints = app.Services.GetRequiredService<SynapseAgents>().Names.ToDictionary(n => n, n => app.Services.GetRequiredService<SynapseAgents>()[n].LocalEndPoint.ToString());
        await app.StopAsync();
        var after = await health.CheckHealthAsync();

        Assert.Equal((HealthStatus.Unhealthy, "not running: counter, greeter"), (before.Status, before.Entries["synapse-agents"].Description));
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal(endpoints, running.Entries["synapse-agents"].Data.ToDictionary(e => e.Key, e => (string?)e.Value));
        Assert.Contains("ready", running.Entries["synapse-agents"].Tags);
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
    }

    [Fact]
    public void Each_agent_needs_its_own_name()
    {
        var builder = new ServiceCollection().AddSynapse().AddAgent<CounterAgent>("one");

        var error = Assert.Throws<ArgumentException>(() => builder.AddAgent<GreeterAgent>("one"));

        Assert.Contains("'one' was already added", error.Message);
    }

    [Fact]
    public async Task A_typed_client_from_DI_calls_an_agent_over_one_connection_that_the_app_disposes()
    {
        var port = FreePort();
        var app = Build($$"""
            { "Synapse": {
                "Agents": { "greeter": { "Port": {{port}} } },
                "Clients": { "greeter": { "Address": "127.0.0.1:{{port}}", "CallTimeout": "00:00:05" } } } }
            """, more: synapse => synapse.AddClient<IGreeterAgentClient, GreeterAgentClient>("greeter"));
        await app.StartAsync();

        var client = app.Services.GetRequiredService<IGreeterAgentClient>();
        var connection = app.Services.GetRequiredKeyedService<SynapseClient>("greeter");

        Assert.Equal("hello, ada", await client.GreetAsync("ada"));
        Assert.Same(connection, ((GreeterAgentClient)client).Client);
        Assert.Same(client, app.Services.GetRequiredKeyedService<IGreeterAgentClient>("greeter"));
        Assert.Equal(TimeSpan.FromSeconds(5), connection.Options.CallTimeout);
        await app.StopAsync();
        app.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GreetAsync("bob"));
    }

    [Fact]
    public async Task A_client_without_a_usable_address_stops_the_app_at_start_naming_the_key()
    {
        using var app = Build("""
            { "Synapse": { "Clients": {
                "a": { "Address": "127.0.0.1" },
                "b": { "ExpectedPeer": "did:key:nope" } } } }
            """, more: synapse => synapse.AddClient<IGreeterAgentClient, GreeterAgentClient>("a").AddClient<IGreeterAgentClient, GreeterAgentClient>("b"));

        // Two named settings fail, so the host reports both in one AggregateException.
        var error = await Assert.ThrowsAsync<AggregateException>(() => app.StartAsync());

        Assert.All(error.InnerExceptions, e => Assert.IsType<OptionsValidationException>(e));
        Assert.Contains("Synapse:Clients:a:Address: '127.0.0.1' is not an address: expected HOST:PORT", error.Message);
        Assert.Contains("Synapse:Clients:b:Address: missing", error.Message);
        Assert.Contains("Synapse:Clients:b:ExpectedPeer: 'did:key:nope' is not an agent id", error.Message);
    }

    [Fact]
    public async Task Application_code_that_takes_the_client_interface_runs_against_a_fake()
    {
        var greeter = new Greeter(new FakeGreeterClient());

        Assert.Equal("HELLO, ADA", await greeter.ShoutAsync("ada"));
    }

    /// <summary>Application code: it depends on the generated interface, not on a connection.</summary>
    private sealed class Greeter(IGreeterAgentClient client)
    {
        public async Task<string> ShoutAsync(string name) => (await client.GreetAsync(name)).ToUpperInvariant();
    }

    private sealed class FakeGreeterClient : IGreeterAgentClient
    {
        public Task<string> GreetAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult($"hello, {name}");
    }

    /// <summary>A loopback port free a moment ago.</summary>
    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static IHost Build(string json, Action<IServiceCollection>? services = null, Action<AgentHostOptions>? configure = null, Action<ISynapseBuilder>? more = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        services?.Invoke(builder.Services);
        builder.Services.TryAddSingleton(new Greeting("hello"));
        var synapse = builder.Services.AddSynapse();
        more?.Invoke(synapse);
        using var config = JsonDocument(json);
        var agents = config.RootElement.GetProperty("Synapse").TryGetProperty("Agents", out var section) ? section.EnumerateObject().Select(p => p.Name).ToList() : [];
        foreach (var name in agents)
        {
            if (name == "counter")
            {
                synapse.AddAgent<CounterAgent>(name, configure);
            }
            else
            {
                synapse.AddAgent<GreeterAgent>(name, configure);
            }
        }

        return builder.Build();
    }

    private static System.Text.Json.JsonDocument JsonDocument(string json) => System.Text.Json.JsonDocument.Parse(json);
}

/// <summary>A dependency the greeter gets from DI.</summary>
public sealed record Greeting(string Text);

/// <summary>An agent whose constructor takes a service.</summary>
[AgentNode(Name = "greeter")]
public sealed partial class GreeterAgent(Greeting greeting)
{
    /// <summary>Greets by name with the injected greeting.</summary>
    [Endpoint("greet")]
    public string Greet(string name) => $"{greeting.Text}, {name}";
}

/// <summary>An agent with state of its own: DI makes it once.</summary>
[AgentNode(Name = "counter")]
public sealed partial class CounterAgent
{
    private long _count;

    /// <summary>Counts calls.</summary>
    [Endpoint("count")]
    public long Count() => Interlocked.Increment(ref _count);
}
