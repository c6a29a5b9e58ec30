using Synapse.Hosting;

namespace Synapse.Tests.Rpc;

/// <summary>Starts a host on a free loopback port for one test.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(AgentHost host, TestAgent agent)
    {
        Host = host;
        Agent = agent;
    }

    public AgentHost Host { get; }

    public TestAgent Agent { get; }

    public int Port => Host.Port;

    public static async Task<TestHost> StartAsync(Action<AgentHostOptions>? configure = null, bool withTaskHandler = false, System.Diagnostics.Metrics.IMeterFactory? meters = null, Microsoft.Extensions.Logging.ILoggerFactory? logs = null)
    {
        var options = new AgentHostOptions { NodeId = "node-1" };
        configure?.Invoke(options);
        var agent = new TestAgent(withTaskHandler);
        var host = new AgentHost(agent, options, logs, meters);
        await host.StartAsync();
        return new TestHost(host, agent);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
