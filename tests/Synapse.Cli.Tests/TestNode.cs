using Synapse.Hosting;

namespace Synapse.Cli.Tests;

/// <summary>A real <see cref="AgentHost"/> serving <see cref="CliTestAgent"/> on a free loopback port.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private TestNode(AgentHost host) => Host = host;

    public AgentHost Host { get; }

    /// <summary>The <c>HOST:PORT</c> argument for the tool.</summary>
    public string Address => $"127.0.0.1:{Host.Port}";

    public static async Task<TestNode> StartAsync(Action<AgentHostOptions>? configure = null)
    {
        var options = new AgentHostOptions { Port = 0, NodeId = "node-cli" };
        configure?.Invoke(options);
        var host = new AgentHost(new CliTestAgent(), options);
        await host.StartAsync();
        return new TestNode(host);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
