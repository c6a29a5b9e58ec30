using Microsoft.Extensions.Logging;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

/// <summary>The relay client logs through the factory it was given, under its own type name, its reconnect loop included.</summary>
public sealed class RelayClientLoggingTests
{
    private const string Category = "Synapse.Relay.Client.RelayClient";

    [Fact]
    public async Task Connecting_and_losing_the_relay_are_logged_through_the_factory()
    {
        var (relay, _) = await StartRelayAsync();
        var endPoint = relay.LocalEndPoint;
        await using var alice = await Agent("alice", relay).StartAsync();
        await EventuallyAsync(() => alice.Logs.Entries.Any(e => e.EventId.Id == 501), "the connected line");

        var connected = Assert.Single(alice.Logs.Entries, e => e.EventId.Id == 501);
        Assert.Equal((Category, LogLevel.Information), (connected.Category, connected.Level));
        Assert.Equal($"Relay connection: connected to {endPoint} ({relay.Id}); 0 message(s) resent.", connected.Message);

        await relay.DisposeAsync();
        await EventuallyAsync(() => alice.Logs.Count(Category, LogLevel.Warning, $"Relay connection: lost {endPoint}.") == 1, "the lost line");
        Assert.All(alice.Logs.Entries, e => Assert.Equal(Category, e.Category));
    }
}
