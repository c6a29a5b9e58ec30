using Synapse.Discovery;
using Synapse.Relay.Backplane;

namespace Synapse.Relay.Server;

/// <summary>What a relay offers its backplane: delivery of other relays' room messages, and their cards.</summary>
internal sealed class BackplaneHost(RelayServer server) : IRelayBackplaneHost
{
    public string RelayId { get; } = server.Id.ToString();

    public void DeliverToRoom(string room, string sender, ReadOnlyMemory<byte> deliverFrame)
    {
        Interlocked.Increment(ref server.Statistics.BackplaneReceivedValue);
        server.Router.Rooms.FanOut(room, sender, deliverFrame.ToArray(), origin: null);
    }

    public void CardReceived(ReadOnlyMemory<byte> encodedCard)
    {
        try
        {
            server.Directory.Publish(AgentCard.Decode(encodedCard)); // verified again: another relay is not trusted more than an agent
        }
        catch (AgentCardException)
        {
        }
    }

    public void MailExpired(string recipient, string sender, Guid messageId) =>
        server.Router.ExpiredElsewhere(new ExpiredMail(recipient, messageId, sender));

    public bool HasMembers(string room) => server.Router.Rooms.HasMembers(room);

    public IEnumerable<string> Rooms() => server.Router.Rooms.Names();

    public IEnumerable<ReadOnlyMemory<byte>> LiveCards() => server.Directory.LiveCards().Select(card => card.Encoded);

    public void StateChanged(bool available, string detail) => server.Events.Backplane(available, detail);
}
