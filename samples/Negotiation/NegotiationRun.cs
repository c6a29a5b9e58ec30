using Synapse.Envelopes;
using Synapse.Flows;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Client;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Outbox;
using Synapse.Relay.Server;

namespace Negotiation;

/// <summary>
/// The whole negotiation: a relay on loopback, a seller and a buyer with durable outboxes and decision graphs in a
/// temporary directory; the seller opens a room and shares its key with the buyer in a sealed direct message; both
/// flows run until a deal, then both graphs are verified together (signatures, chains and cross-links).
/// </summary>
public static class NegotiationRun
{
    /// <summary>Runs it; returns 0 when a deal was made and both graphs verify with their cross-links resolved.</summary>
    /// <exception cref="TimeoutException">No deal within <paramref name="timeout"/> (30 s by default).</exception>
    public static async Task<int> RunAsync(TextWriter output, int floor = 90, int opening = 60, int ceiling = 120, TimeSpan? timeout = null)
    {
        var data = Directory.CreateTempSubdirectory("synapse-negotiation-");
        try
        {
            var (price, verification) = await NegotiateAsync(data.FullName, floor, opening, ceiling, timeout ?? TimeSpan.FromSeconds(30));
            output.WriteLine($"deal at {price}");
            foreach (var graph in verification.Graphs)
            {
                output.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(graph.Path))}: {graph.Records} signed decision records ({graph.Agent})");
            }

            output.WriteLine($"graphs {(verification.IsValid ? "verify" : "DO NOT verify")}: {verification.ResolvedLinks} cross-link(s) resolved, {verification.UnresolvedLinks} unresolved");
            foreach (var problem in verification.Errors)
            {
                output.WriteLine($"  {problem.Message}");
            }

            return verification.IsValid && verification.ResolvedLinks > 0 && verification.UnresolvedLinks == 0 ? 0 : 1;
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<(int Price, DecisionGraphVerification Verification)> NegotiateAsync(string data, int floor, int opening, int ceiling, TimeSpan timeout)
    {
        await using var relay = new RelayServer(new RelayOptions { Port = 0, Logger = new RelayLogOptions { EnableConsoleLog = false } });
        await relay.StartAsync();
        var relays = new[] { new RelayEndpoint(relay.LocalEndPoint, relay.Id) };

        using var sellerId = AgentIdentity.Generate();
        using var buyerId = AgentIdentity.Generate();
        using var sellerKey = EncryptionKeyPair.Derive(sellerId);
        using var buyerKey = EncryptionKeyPair.Derive(buyerId);
        var sellerData = Directory.CreateDirectory(Path.Combine(data, "seller")).FullName;
        var buyerData = Directory.CreateDirectory(Path.Combine(data, "buyer")).FullName;
        await using var sellerGraph = DecisionGraph.Open(sellerData, sellerId);
        await using var buyerGraph = DecisionGraph.Open(buyerData, buyerId);
        await using var sellerClient = new RelayClient(sellerId, sellerKey, new RelayClientOptions { Relays = relays, OpenStore = SqliteRelayStore.In(sellerData) });
        await using var buyerClient = new RelayClient(buyerId, buyerKey, new RelayClientOptions { Relays = relays, OpenStore = SqliteRelayStore.In(buyerData) });

        var seller = new Seller(floor);
        var buyer = new Buyer(opening, ceiling);
        var sellerFlow = sellerClient.RunFlow(seller, "market", new FlowRunnerOptions { States = sellerGraph.ResumeFlowStates("open"), Recorder = new DecisionGraphRecorder(sellerGraph) });
        var buyerFlow = buyerClient.RunFlow(buyer, "market", new FlowRunnerOptions { States = buyerGraph.ResumeFlowStates("bidding"), Recorder = new DecisionGraphRecorder(buyerGraph) });

        // The seller opens the room and invites the buyer: the room key travels sealed to the buyer alone.
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        buyerClient.RoomInvitation += invitation => _ = buyerClient.JoinAsync(invitation.Room, invitation.Key).ContinueWith(join => joined.TrySetResult(), TaskScheduler.Default);
        await sellerClient.StartAsync();
        await buyerClient.StartAsync();
        using var roomKey = EncryptionKeyPair.GenerateForTopic(sellerId, "market");
        await sellerClient.JoinAsync("market", roomKey);
        sellerClient.ShareRoomKey(buyerClient.Certificate, roomKey);
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(sellerFlow.RunAsync(stop.Token), buyerFlow.RunAsync(stop.Token));
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (buyer.BoughtAt is null || seller.SoldAt is null)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"no deal within {timeout.TotalSeconds:0} s");
                }

                await Task.Delay(20);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        // The recorders commit in groups: wait until every recorded transition is on disk before reading the files.
        await sellerGraph.FlushAsync();
        await buyerGraph.FlushAsync();
        var verification = DecisionGraphVerifier.Verify([sellerGraph.Path, buyerGraph.Path]);
        return (buyer.BoughtAt.Value, verification);
    }
}
