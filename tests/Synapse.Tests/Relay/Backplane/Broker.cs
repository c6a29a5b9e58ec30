using System.Diagnostics;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.RabbitMQ;
using Synapse.Relay.Server;
using Xunit;

namespace Synapse.Tests.Relay.Backplane;

/// <summary>
/// The RabbitMQ broker the backplane tests use: <c>SYNAPSE_RABBITMQ_URI</c> (set by <c>test.sh</c>, which starts a broker
/// on loopback), and <c>SYNAPSE_RABBITMQCTL</c> to stop and start it. Each test uses a prefix of its own.
/// </summary>
internal static class Broker
{
    public static string? UriText => Environment.GetEnvironmentVariable("SYNAPSE_RABBITMQ_URI");

    public static Uri Uri => new(UriText ?? throw new InvalidOperationException("SYNAPSE_RABBITMQ_URI is not set"));

    public static string NewPrefix() => "test-" + Guid.NewGuid().ToString("N")[..12];

    public static RelayOptions Options(string prefix, Func<RelayOptions, RelayOptions>? adjust = null) =>
        RelayTestKit.Options(options => (adjust?.Invoke(options) ?? options) with
        {
            Backplane = new BackplaneOptions { Uri = Uri, Prefix = prefix, ConfirmTimeout = TimeSpan.FromSeconds(5), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) },
        });

    public static async Task<(RelayServer Relay, StringWriter Log)> StartRelayAsync(string prefix, Func<RelayOptions, RelayOptions>? adjust = null, AgentIdentity? identity = null)
    {
        var options = Options(prefix, adjust);
        var log = new StringWriter();
        var relay = new RelayServer(options, identity, new RelayLog("synapse.relay", options.Logger, TextWriter.Synchronized(log)), backplane: new RabbitMqBackplane(options));
        await relay.StartAsync();
        return (relay, log);
    }

    /// <summary>Stops the broker's application (connections drop; durable queues and persistent messages stay) or starts it again.</summary>
    public static async Task ControlAsync(string command)
    {
        var tool = (Environment.GetEnvironmentVariable("SYNAPSE_RABBITMQCTL") ?? "rabbitmqctl").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var info = new ProcessStartInfo(tool[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in tool.Skip(1).Append(command))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', tool)} {command} failed ({process.ExitCode}): {await output}{error}");
    }
}

/// <summary>A test that needs the broker; skipped, with the reason, when <c>SYNAPSE_RABBITMQ_URI</c> is not set (<c>test.sh</c> sets it).</summary>
public sealed class BrokerFactAttribute : FactAttribute
{
    /// <summary>Skips the test without a broker.</summary>
    public BrokerFactAttribute()
    {
        if (Broker.UriText is null)
        {
            Skip = "needs a RabbitMQ broker: set SYNAPSE_RABBITMQ_URI, as ./test.sh does";
        }
    }
}

/// <summary>The broker tests run one at a time: one of them stops the broker.</summary>
[CollectionDefinition("broker", DisableParallelization = true)]
public sealed class BrokerCollection;
