using Synapse.Identity;
using Synapse.Relay.Backplane;
using Synapse.Relay.Configuration;
using Synapse.Relay.RabbitMQ;
using Synapse.Relay.Server;
using Synapse.Tests.Relay.Backplane;
using Xunit;

namespace Synapse.Tests.Relay.Mail;

/// <summary>The RabbitMQ backplane as a mail store: the same contract as the relay's memory, against the broker.</summary>
[Collection("broker")]
public sealed class BackplaneMailStoreTests : MailStoreContract, IAsyncLifetime
{
    private readonly List<RabbitMqBackplane> _backplanes = [];

    private protected override async Task<IRelayMailStore> StoreAsync(MailboxOptions limits)
    {
        var backplane = new RabbitMqBackplane(Broker.Options(Broker.NewPrefix(), options => options with { Mailbox = limits }));
        _backplanes.Add(backplane);
        await backplane.StartAsync(new NoRelay(), CancellationToken.None);
        return new BackplaneMailStore(backplane, new RelayStatistics(), detail => throw new InvalidOperationException(detail));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var backplane in _backplanes)
        {
            await backplane.DisposeAsync();
        }
    }

    [BrokerFact]
    public Task Offline_mail_in_order() => Mail_for_an_offline_agent_reaches_it_in_order_when_it_connects();

    [BrokerFact]
    public Task Online_mail_to_its_agent_only() => Mail_for_a_connected_agent_reaches_it_and_no_one_else();

    [BrokerFact]
    public Task Confirmations() => A_confirmation_names_the_sender_once_and_ignores_unknown_ids();

    [BrokerFact]
    public Task Redelivery_to_the_next_link() => Unconfirmed_mail_reaches_the_agents_next_link_in_order_and_confirmed_mail_does_not();

    [BrokerFact]
    public Task Full_mailbox() => A_full_mailbox_refuses_until_its_agent_confirms();

    [BrokerFact]
    public Task Rooms() => A_room_message_is_taken_and_a_change_of_members_completes();

    /// <summary>A relay with no members, cards or log: the store is used on its own.</summary>
    private sealed class NoRelay : IRelayBackplaneHost
    {
        public string RelayId { get; } = NewId();

        public void DeliverToRoom(string room, string sender, ReadOnlyMemory<byte> deliverFrame)
        {
        }

        public void CardReceived(ReadOnlyMemory<byte> encodedCard)
        {
        }

        public void MailExpired(string recipient, string sender, Guid messageId)
        {
        }

        public bool HasMembers(string room) => false;

        public IEnumerable<string> Rooms() => [];

        public IEnumerable<ReadOnlyMemory<byte>> LiveCards() => [];

        public void StateChanged(bool available, string detail)
        {
        }

        private static string NewId()
        {
            using var identity = AgentIdentity.Generate();
            return identity.Id.ToString();
        }
    }
}
