using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay.Backplane;

/// <summary>The broker restarting and a relay dying, mid-stream: nothing lost, nothing handled twice.</summary>
[Collection("broker")]
public sealed partial class BackplaneFailureTests : IDisposable
{
    private readonly string _prefix = Broker.NewPrefix();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("synapse-backplane-");

    public void Dispose() => _dir.Delete(recursive: true);

    [BrokerControlFact]
    public async Task A_broker_restart_mid_stream_loses_nothing_and_doubles_nothing()
    {
        var (first, firstLog) = await Broker.StartRelayAsync(_prefix);
        var (second, _) = await Broker.StartRelayAsync(_prefix);
        await using var _1 = first;
        await using var _2 = second;
        await using var alice = await Agent("alice", first).StartAsync();
        await using var bob = await Agent("bob", second).StartAsync();

        var ids = new List<Guid>();
        try
        {
            for (var i = 0; i < 150; i++)
            {
                if (i == 50)
                {
                    await Broker.ControlAsync("stop_app"); // connections drop; durable queues and persistent messages stay
                }

                if (i == 100)
                {
                    await Broker.ControlAsync("start_app");
                }

                ids.Add(alice.Client.Send(bob.Client.Certificate, Utf8($"m{i:D3}")));
                await Task.Delay(10);
            }
        }
        finally
        {
            await Broker.ControlAsync("start_app"); // never leave the broker stopped for the next test
        }

        foreach (var id in ids)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(90));
        }

        await EventuallyAsync(() => bob.Received.Count >= 150, "bob receives all 150", seconds: 60);
        await Task.Delay(500); // time for a wrong extra copy to arrive
        var texts = bob.Texts.ToList();
        Assert.Equal(150, texts.Count); // the handler saw each message once, even those the broker delivered twice
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"m{i:D3}"), texts.Order());
        var log = firstLog.ToString();
        Assert.Contains("backplane unavailable", log);
        Assert.Contains("reconnected to the broker", log);
        await AssertMailboxDrainedAsync(bob);
    }

    [BrokerControlFact]
    public async Task While_the_broker_blocks_publishing_senders_are_told_to_retry_and_nothing_is_lost()
    {
        var (relay, log) = await Broker.StartRelayAsync(_prefix);
        await using var _1 = relay;
        await using var alice = await Agent("alice", relay).StartAsync();
        await using var bob = await Agent("bob", relay).StartAsync();
        var ids = new List<Guid>();
        try
        {
            await Broker.ControlAsync("set_vm_memory_high_watermark", "0.0000001"); // a memory alarm: the broker blocks publishers
            ids.Add(alice.Client.Send(bob.Client.Certificate, Utf8("during the alarm")));
            await EventuallyAsync(() => log.ToString().Contains("blocked publishing"), "the relay hears the broker blocked it", seconds: 30);
            ids.Add(alice.Client.Send(bob.Client.Certificate, Utf8("while blocked")));
            await EventuallyAsync(() => log.ToString().Contains("backplane_unavailable"), "a send is refused at once with retry", seconds: 30);
        }
        finally
        {
            await Broker.ControlAsync("set_vm_memory_high_watermark", "0.4");
        }

        foreach (var id in ids)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
        }

        await EventuallyAsync(() => bob.Received.Count >= 2, "bob receives both", seconds: 30);
        await Task.Delay(300);
        Assert.Equal(["during the alarm", "while blocked"], bob.Texts.Order());
        Assert.Contains("unblocked publishing", log.ToString());
    }

    [BrokerControlFact]
    public async Task A_message_sent_twice_is_delivered_once_and_both_copies_leave_the_broker()
    {
        var (relay, _) = await Broker.StartRelayAsync(_prefix);
        await using var _1 = relay;
        using var aliceIdentity = AgentIdentity.Generate();
        using var bobIdentity = AgentIdentity.Generate();
        using var bobKey = Synapse.Envelopes.EncryptionKeyPair.Derive(bobIdentity);
        await using (var alice = await RawRelayPeer.ConnectAsync(relay, aliceIdentity))
        {
            var envelope = Synapse.Envelopes.EnvelopeSealer.Seal(aliceIdentity, bobKey.Certificate, Utf8("once")).Encode();
            for (var copy = 0; copy < 2; copy++)
            {
                // A sender's retry after a lost confirmation: the same envelope, stored twice by the broker.
                await alice.SendAsync(new RelayFrame { Op = RelayOp.Send, Envelope = envelope });
                Assert.Equal(RelayOp.Ack, (await alice.ReadUntilAsync(RelayOp.Ack)).Op);
            }
        }

        Assert.Equal((2L, 0L), await Broker.QueueCountsAsync($"{_prefix}.mailbox.{bobIdentity.Id}"));
        await using var bob = await new TestAgent("bob", [new RelayEndpoint(relay.LocalEndPoint, relay.Id)], null, AgentIdentity.FromSeed(bobIdentity.Seed)).StartAsync();
        await EventuallyAsync(() => bob.Received.Count >= 1, "bob receives the message");
        await AssertMailboxDrainedAsync(bob);
        Assert.Equal(["once"], bob.Texts);
    }

    /// <summary>Every copy the broker held for <paramref name="agent"/> was acknowledged: none left ready or unacknowledged.</summary>
    private async Task AssertMailboxDrainedAsync(TestAgent agent)
    {
        var queue = $"{_prefix}.mailbox.{agent.Identity.Id}";
        for (var attempt = 0; ; attempt++)
        {
            var (ready, unacknowledged) = await Broker.QueueCountsAsync(queue);
            if (ready == 0 && unacknowledged == 0)
            {
                return;
            }

            Assert.True(attempt < 20, $"{queue} still holds {ready} ready and {unacknowledged} unacknowledged messages");
            await Task.Delay(250);
        }
    }

    [BrokerControlFact]
    public async Task When_a_relay_process_is_killed_its_agents_fail_over_and_receive_what_was_queued_for_them()
    {
        using var doomed = await StartRelayProcessAsync();
        var (second, _) = await Broker.StartRelayAsync(_prefix);
        await using var _2 = second;
        await using var alice = await Agent("alice", second).StartAsync();
        await using var bob = await new TestAgent("bob",
            [new RelayEndpoint(doomed.EndPoint, doomed.Id), new RelayEndpoint(second.LocalEndPoint, second.Id)], null).StartAsync();
        Assert.Equal(doomed.EndPoint, bob.Client.CurrentRelay!.EndPoint);

        var ids = new List<Guid>();
        for (var i = 0; i < 100; i++)
        {
            if (i == 30)
            {
                doomed.Process.Kill(entireProcessTree: true); // no goodbye: its broker connection and bob's link just drop
            }

            ids.Add(alice.Client.Send(bob.Client.Certificate, Utf8($"m{i:D3}")));
            await Task.Delay(10);
        }

        foreach (var id in ids)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
        }

        await EventuallyAsync(() => bob.Received.Count >= 100, "bob receives all 100 on the second relay", seconds: 60);
        await Task.Delay(500);
        Assert.Equal(second.LocalEndPoint, bob.Client.CurrentRelay!.EndPoint);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i:D3}"), bob.Texts.Order());
        await AssertMailboxDrainedAsync(bob);
    }

    private async Task<RelayProcess> StartRelayProcessAsync()
    {
        var program = RepositoryRoot.BuiltAssembly("src/Synapse.Cli", "Synapse.Cli");
        var config = Path.Combine(_dir.FullName, "relay.json");
        File.WriteAllText(config,
            "{\"host\": \"127.0.0.1\", \"port\": 0, \"logger\": {\"enable_console_log\": false}, "
            + $"\"backplane\": {{\"rabbitmq\": {{\"uri\": \"{Broker.Uri}\", \"prefix\": \"{_prefix}\"}}}}}}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", program, "relay", "--config", config })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var match = ListeningLine().Match(line ?? "");
        if (!match.Success)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the relay process did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        }

        return new RelayProcess(process, AgentId.Parse(match.Groups["id"].Value), IPEndPoint.Parse(match.Groups["endpoint"].Value));
    }

    [GeneratedRegex(@"^relay (?<id>did:key:\w+) listening on (?<endpoint>[\d.:]+)$")]
    private static partial Regex ListeningLine();

    private sealed record RelayProcess(Process Process, AgentId Id, IPEndPoint EndPoint) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }
}
