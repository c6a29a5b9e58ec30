using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay;

public sealed class RelayFailoverTests
{
    [Fact]
    public async Task When_the_first_relay_dies_mid_stream_agents_move_to_the_second_and_nothing_is_lost_or_doubled()
    {
        var (first, _) = await StartRelayAsync();
        var (second, _) = await StartRelayAsync();
        await using var __ = second;
        await using var alice = await Agent("alice", first, second).StartAsync();
        await using var bob = await Agent("bob", first, second).StartAsync();
        Assert.Equal(first.LocalEndPoint, alice.Client.CurrentRelay!.EndPoint);

        var sent = new List<Guid>();
        for (var i = 0; i < 200; i++)
        {
            if (i == 60)
            {
                await first.DisposeAsync(); // mid-stream, with messages in flight and in its mailboxes
            }

            sent.Add(alice.Client.Send(bob.Client.Certificate, Utf8($"m{i:D3}")));
            await Task.Delay(5);
        }

        foreach (var id in sent)
        {
            await alice.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
        }

        var texts = bob.Texts.ToList();
        Assert.Equal(200, texts.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i:D3}"), texts.Order());
        Assert.Equal(second.LocalEndPoint, alice.Client.CurrentRelay!.EndPoint);
        Assert.Equal(second.LocalEndPoint, bob.Client.CurrentRelay!.EndPoint);
        Assert.Equal(0, alice.Client.PendingCount);
    }

    [Fact]
    public async Task A_durable_outbox_survives_a_restart_of_the_sender_and_delivers_later()
    {
        var directory = Directory.CreateTempSubdirectory("synapse-outbox-").FullName;
        try
        {
            var (relay, _) = await StartRelayAsync();
            await using var __ = relay;
            using var aliceIdentity = AgentIdentity.Generate();
            using var bobIdentity = AgentIdentity.Generate();
            var endpoints = new[] { new RelayEndpoint(relay.LocalEndPoint, relay.Id) };
            using var bobKey = Synapse.Envelopes.EncryptionKeyPair.Derive(bobIdentity);
            var ids = new List<Guid>();
            await using (var alice = await new TestAgent("alice", endpoints, directory, AgentIdentity.FromSeed(aliceIdentity.Seed)).StartAsync())
            {
                for (var i = 0; i < 5; i++)
                {
                    ids.Add(alice.Client.Send(bobKey.Certificate, Utf8($"kept {i}")));
                }

                Assert.Equal(5, alice.Client.PendingCount); // Bob is offline: nothing is acknowledged yet
            }

            await using var aliceAgain = await new TestAgent("alice", endpoints, directory, AgentIdentity.FromSeed(aliceIdentity.Seed)).StartAsync();
            Assert.Equal(5, aliceAgain.Client.PendingCount);
            await using var bob = await new TestAgent("bob", endpoints, null, AgentIdentity.FromSeed(bobIdentity.Seed)).StartAsync();
            foreach (var id in ids)
            {
                await aliceAgain.Client.WaitAcknowledgedAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.Equal(Enumerable.Range(0, 5).Select(i => $"kept {i}"), bob.Texts);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
