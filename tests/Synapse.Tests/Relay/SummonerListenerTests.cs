using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

/// <summary>The relay's Summoner-compatible listener, driven by a line client written from Summoner's spec.</summary>
public sealed class SummonerListenerTests
{
    [Fact]
    public async Task A_line_reaches_every_other_client_wrapped_with_the_senders_address_and_not_the_sender()
    {
        await using var relay = await StartSummonerRelayAsync();
        await using var alice = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await using var bob = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await using var carol = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await EventuallyAsync(() => relay.Statistics.Connections == 3, "three clients connected");

        const string typed = """{"_version": "1.3.0", "_payload": "What is your name? \u00e9", "_type": "str"}""";
        await alice.SendLineAsync(typed);
        foreach (var peer in new[] { bob, carol })
        {
            var line = await peer.ReadLineAsync();
            using var envelope = JsonDocument.Parse(line!);
            Assert.Equal(alice.Address, envelope.RootElement.GetProperty("remote_addr").GetString());
            Assert.Equal(typed, envelope.RootElement.GetProperty("content").GetString());
            Assert.StartsWith("""{"remote_addr": """, line); // Python's json.dumps layout
        }

        // Alice gets no echo: the first line she reads is Bob's answer.
        await bob.SendLineAsync("""{"_version": "1.3.0", "_payload": "Bob", "_type": "str"}""");
        using var answer = JsonDocument.Parse((await alice.ReadLineAsync())!);
        Assert.Equal(bob.Address, answer.RootElement.GetProperty("remote_addr").GetString());
        Assert.Contains("Bob", answer.RootElement.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("hello world\n", "hello world")]
    [InlineData("\n", "")]
    [InlineData("crlf line\r\n", "crlf line\r")]
    [InlineData("{not json\n", "{not json")]
    public async Task Any_line_is_relayed_as_a_string_even_when_it_is_not_json(string sent, string content)
    {
        await using var relay = await StartSummonerRelayAsync();
        await using var sender = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await using var receiver = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await EventuallyAsync(() => relay.Statistics.Connections == 2, "two clients connected");

        await sender.SendAsync(Encoding.UTF8.GetBytes(sent));
        using var envelope = JsonDocument.Parse((await receiver.ReadLineAsync())!);
        Assert.Equal(content, envelope.RootElement.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_last_line_without_newline_is_relayed_when_the_sender_closes()
    {
        await using var relay = await StartSummonerRelayAsync();
        await using var receiver = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        var sender = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await EventuallyAsync(() => relay.Statistics.Connections == 2, "two clients connected");

        await sender.SendAsync("bye"u8.ToArray());
        await sender.DisposeAsync();
        using var envelope = JsonDocument.Parse((await receiver.ReadLineAsync())!);
        Assert.Equal("bye", envelope.RootElement.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_line_over_the_limit_is_refused_and_its_sender_disconnected_while_escaping_does_not_count()
    {
        await using var relay = await StartSummonerRelayAsync(o => o with { Summoner = o.Summoner with { MaxLineBytes = 1024 } });
        await using var sender = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await using var receiver = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await EventuallyAsync(() => relay.Statistics.Connections == 2, "two clients connected");

        // 1024 quotes: exactly at the limit as sent, about twice as long once escaped in the envelope.
        var quotes = new string('"', 1024);
        await sender.SendLineAsync(quotes);
        var relayed = (await receiver.ReadLineAsync())!;
        Assert.True(relayed.Length > 2048);
        Assert.Equal(quotes, JsonDocument.Parse(relayed).RootElement.GetProperty("content").GetString());

        await sender.SendLineAsync(new string('x', 1025));
        Assert.Equal(["Warning: Line over 1024 bytes refused; disconnected."], await sender.ReadToEndAsync());

        // Nothing of the long line reached the receiver; a later line from another client does.
        await using var third = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await EventuallyAsync(() => relay.Statistics.Connections == 3, "third client connected");
        await third.SendLineAsync("after");
        Assert.Equal("after", JsonDocument.Parse((await receiver.ReadLineAsync())!).RootElement.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_line_that_is_not_utf8_disconnects_its_sender()
    {
        await using var relay = await StartSummonerRelayAsync();
        await using var sender = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await sender.SendAsync([0xFF, 0xFE, (byte)'\n']);
        Assert.Equal(["Warning: the line is not valid UTF-8"], await sender.ReadToEndAsync());
    }

    [Fact]
    public async Task The_rate_limit_applies_per_address_and_drops_lines_over_it_with_summoners_warning()
    {
        // A burst of 10, then one a minute: no token comes back while the test runs, however slow the machine.
        await using var relay = await StartSummonerRelayAsync(o => o with { RateLimitMessagesPerMinute = 1 });
        await using var receiver = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!, IPAddress.Parse("127.0.0.5"));
        await using var first = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await using var second = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await EventuallyAsync(() => relay.Statistics.Connections == 3, "three clients connected");

        for (var i = 0; i < 8; i++)
        {
            await first.SendLineAsync($"first {i}");
        }

        // The relay reads each connection on its own: wait until the first's lines took their tokens before the second sends.
        var received = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            received.Add(JsonDocument.Parse((await receiver.ReadLineAsync())!).RootElement.GetProperty("content").GetString()!);
        }

        // The second connection comes from the same address, so it shares what is left of the bucket.
        for (var i = 0; i < 8; i++)
        {
            await second.SendLineAsync($"second {i}");
        }

        // The second also receives the first's lines; its warning follows them.
        string? warning;
        do
        {
            warning = await second.ReadLineAsync();
        }
        while (warning is not null && !warning.StartsWith("Warning:", StringComparison.Ordinal));

        Assert.Equal("Warning: You are sending messages too quickly. Please slow down.", warning);
        await EventuallyAsync(() => relay.Statistics.Refused >= 6, "the lines over the limit refused");
        for (var i = 0; i < 2; i++)
        {
            received.Add(JsonDocument.Parse((await receiver.ReadLineAsync())!).RootElement.GetProperty("content").GetString()!);
        }

        Assert.Equal(8, received.Count(line => line.StartsWith("first", StringComparison.Ordinal)));
        Assert.Equal(2, received.Count(line => line.StartsWith("second", StringComparison.Ordinal)));
        Assert.True(await receiver.IsQuietAsync(TimeSpan.FromMilliseconds(300)), "no line over the limit was relayed");
    }

    [Fact]
    public async Task An_idle_client_is_told_and_disconnected()
    {
        await using var relay = await StartSummonerRelayAsync(o => o with { ClientTimeout = TimeSpan.FromSeconds(1) });
        await using var idle = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        Assert.Equal(["Warning: You have been disconnected due to inactivity."], await idle.ReadToEndAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_flooding_client_is_throttled_flow_controlled_then_disconnected_and_its_address_quarantined()
    {
        await using var relay = await StartSummonerRelayAsync(o => o with
        {
            RateLimitMessagesPerMinute = 1_000_000,
            ThrottleDelay = TimeSpan.FromMilliseconds(5),
            FlowControlDelay = TimeSpan.FromMilliseconds(50),
            Backpressure = FloodPolicy,
        });
        await using var stuck = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!); // never reads
        await using var reader = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await using var talker = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await using var flooder = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!, IPAddress.Parse("127.0.0.2"));
        await EventuallyAsync(() => relay.Statistics.Connections == 4, "four clients connected");

        using var stop = new CancellationTokenSource();
        var line = Encoding.ASCII.GetBytes(new string('f', 16 * 1024) + "\n");
        var flooding = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await flooder.SendAsync(line);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
            }
        });

        // The reader drains everything; the talker's lines must all reach it while the flooder is handled.
        var fromTalker = 0;
        var draining = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync(TimeSpan.FromSeconds(60)) is { } envelope)
            {
                if (envelope.Contains("\"talk ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref fromTalker);
                }
            }
        });
        var notices = flooder.ReadToEndAsync(TimeSpan.FromSeconds(60));
        var sent = 0;
        for (; !notices.IsCompleted && sent < 3000; sent++)
        {
            await talker.SendLineAsync($"talk {sent}");
            await Task.Delay(10);
        }

        Assert.Equal(
            ["Warning: Sending too fast: reading from you is delayed.", "Warning: Recipients' queues are full: reading from you is paused.", "Warning: Disconnected for flooding; quarantined for 300 s."],
            (await notices).Where(line => line.StartsWith("Warning:", StringComparison.Ordinal)).Distinct()); // it also received the talker's lines
        await stop.CancelAsync();
        await flooding.WaitAsync(TimeSpan.FromSeconds(20));
        await EventuallyAsync(() => Volatile.Read(ref fromTalker) == sent, $"all {sent} talker lines at the reader");
        Assert.Equal(1, relay.Statistics.Quarantined);

        // The address is quarantined: a new connection from it (any port) is closed at once.
        await using var again = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!, IPAddress.Parse("127.0.0.2"));
        Assert.Empty(await again.ReadToEndAsync());
    }

    [Fact]
    public async Task Stopping_the_relay_tells_summoner_clients()
    {
        var relay = await StartSummonerRelayAsync();
        await using var client = await SummonerLineClient.ConnectAsync(relay.SummonerEndPoint!);
        await EventuallyAsync(() => relay.Statistics.Connections == 1, "client connected");
        await relay.DisposeAsync();
        Assert.Equal(["Warning: Server is shutting down."], await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Clients_connecting_while_the_relay_stops_are_told_or_turned_away()
    {
        var relay = await StartSummonerRelayAsync();
        var endPoint = relay.SummonerEndPoint!;
        var connecting = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await SummonerLineClient.ConnectAsync(endPoint);
            }
            catch (SocketException)
            {
                return null; // the listener was already closed
            }
        })).ToArray();
        await EventuallyAsync(() => relay.Statistics.Connections > 0, "a client connected");
        await relay.DisposeAsync();

        // Every connection ends promptly: a link admitted while the relay stopped is told, like the others.
        foreach (var client in await Task.WhenAll(connecting))
        {
            if (client is null)
            {
                continue;
            }

            await using (client)
            {
                Assert.All(await client.ReadToEndAsync(TimeSpan.FromSeconds(20)), line => Assert.Equal("Warning: Server is shutting down.", line));
            }
        }
    }

    private static async Task<RelayServer> StartSummonerRelayAsync(Func<RelayOptions, RelayOptions>? adjust = null)
    {
        var options = Options(o => o with { Logger = new RelayLogOptions { EnableConsoleLog = false }, Summoner = new SummonerListenerOptions { Enabled = true, Port = 0 } });
        var (relay, _) = await StartRelayAsync(adjust is null ? options : adjust(options));
        return relay;
    }
}
