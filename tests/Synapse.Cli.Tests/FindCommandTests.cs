using System.Net;
using System.Text.Json;
using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse find HOST:PORT …</c> against a loopback relay holding published cards.</summary>
public sealed class FindCommandTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private RelayServer _relay = null!;
    private string _address = "";

    public async Task InitializeAsync()
    {
        _relay = new RelayServer(new RelayOptions { Host = "127.0.0.1", Port = 0, Logger = new RelayLogOptions { EnableConsoleLog = false } });
        await _relay.StartAsync();
        _address = $"127.0.0.1:{_relay.LocalEndPoint.Port}";
        await PublishAsync("alice", "critic", "Reviews pull requests", "code-review", "lint");
        await PublishAsync("bob", "author", "Writes the docs", "write-docs");
        await PublishAsync("carol", "critic", "Reviews designs", "design-review");
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await _relay.DisposeAsync();
    }

    [Fact]
    public async Task Find_by_capability_prints_the_matching_card()
    {
        var result = await Cli.RunAsync("find", _address, "--capability", "code-review");

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("alice (critic)\n  id:           did:key:z6Mk", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  capabilities: code-review, lint\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  relays:       127.0.0.1:7400\n", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_as_json_with_pages_lists_every_critic_once()
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            string[] args = ["find", _address, "--role", "critic", "--page-size", "1", "--json", .. token is null ? Array.Empty<string>() : ["--page-token", token]];
            var result = await Cli.RunAsync(args);
            Assert.Equal(0, result.ExitCode);
            using var json = JsonDocument.Parse(result.Stdout);
            var agent = Assert.Single(json.RootElement.GetProperty("agents").EnumerateArray());
            names.Add(agent.GetProperty("name").GetString()!);
            Assert.Equal("object", agent.GetProperty("capabilities")[0].GetProperty("input_schema").GetProperty("type").GetString());
            var next = json.RootElement.GetProperty("next_page_token");
            token = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
        }
        while (token is not null);

        Assert.Equal(["alice", "carol"], names.Order());
    }

    [Fact]
    public async Task Find_with_no_match_says_so()
    {
        var result = await Cli.RunAsync("find", _address, "--text", "quantum");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("no agents found\n", result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--page-size", "0" }, "synapse: --page-size must be from 1 to 100, not 0")]
    [InlineData(new[] { "--page-token", "???" }, "synapse: the page token is not one a directory gave")]
    public async Task Bad_options_are_one_line_usage_errors(string[] options, string error)
    {
        var result = await Cli.RunAsync(["find", _address, .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(error + "\n", result.Stderr);
    }

    [Fact]
    public async Task An_unreachable_relay_is_a_one_line_failure()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Cli.RunAsync("find", $"127.0.0.1:{port}", "--capability", "x", "--timeout", "5");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"synapse: cannot reach the relay at 127.0.0.1:{port}: ", line, StringComparison.Ordinal);
    }

    private async Task PublishAsync(string name, string role, string description, params string[] capabilities)
    {
        var identity = AgentIdentity.Generate();
        var key = EncryptionKeyPair.Generate(identity);
        var client = new RelayClient(identity, key, new RelayClientOptions { Relays = [new RelayEndpoint(_relay.LocalEndPoint, _relay.Id)] });
        _disposables.Add(client);
        await client.StartAsync();
        await client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var now = DateTimeOffset.UtcNow;
        var card = AgentCard.Sign(
            identity,
            name,
            role,
            description,
            [.. capabilities.Select(c => new AgentCapability(c, "", """{"type":"object"}""", "{}"))],
            [new RelayAddress("127.0.0.1:7400")],
            key.Certificate,
            now,
            now.AddHours(1));
        await client.PublishCardAsync(card);
    }
}
