using System.Diagnostics;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
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

    public static string? ControlTool => Environment.GetEnvironmentVariable("SYNAPSE_RABBITMQCTL");

    /// <summary>
    /// Runs <c>rabbitmqctl</c> (as <c>SYNAPSE_RABBITMQCTL</c> says): <c>stop_app</c> drops every connection and keeps
    /// durable queues and persistent messages, <c>start_app</c> starts the broker again, <c>list_queues</c>…
    /// </summary>
    public static async Task<string> ControlAsync(params string[] arguments)
    {
        var tool = (ControlTool ?? throw new InvalidOperationException("SYNAPSE_RABBITMQCTL is not set")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var info = new ProcessStartInfo(tool[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in tool.Skip(1).Concat(arguments))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', tool)} {string.Join(' ', arguments)} did not finish in 120 s");
        }

        Assert.True(process.ExitCode == 0, $"{string.Join(' ', tool)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        return await output;
    }

    /// <summary>Messages ready and unacknowledged in a queue, as the broker counts them.</summary>
    public static async Task<(long Ready, long Unacknowledged)> QueueCountsAsync(string queue)
    {
        var listing = await ControlAsync("list_queues", "-q", "--no-table-headers", "name", "messages_ready", "messages_unacknowledged");
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[0] == queue)
            {
                return (long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"the broker has no queue '{queue}': {listing}");
    }

    /// <summary>The routing keys bound from <paramref name="exchange"/> to <paramref name="queue"/>.</summary>
    public static async Task<IReadOnlyList<string>> BindingKeysAsync(string exchange, string queue)
    {
        var listing = await ControlAsync("list_bindings", "-q", "--no-table-headers", "source_name", "destination_name", "routing_key");
        return [.. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 3 && fields[0] == exchange && fields[1] == queue)
            .Select(fields => fields[2])];
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

/// <summary>
/// A test that also controls the broker with <c>rabbitmqctl</c>; skipped, with the reason, when <c>test.sh</c> did
/// not start the broker itself (it does not stop or inspect a broker it found running).
/// </summary>
public sealed class BrokerControlFactAttribute : FactAttribute
{
    /// <summary>Skips the test without a broker this run controls.</summary>
    public BrokerControlFactAttribute()
    {
        if (Broker.UriText is null || Broker.ControlTool is null)
        {
            Skip = "needs a RabbitMQ broker this run controls: set SYNAPSE_RABBITMQ_URI and SYNAPSE_RABBITMQCTL, as ./test.sh does when it starts the broker";
        }
    }
}

/// <summary>The broker tests run one at a time: one of them stops the broker.</summary>
[CollectionDefinition("broker", DisableParallelization = true)]
public sealed class BrokerCollection;
