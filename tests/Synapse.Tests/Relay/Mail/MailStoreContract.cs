using System.Collections.Concurrent;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Server;
using Xunit;
using static Synapse.Tests.Relay.RelayTestKit;

namespace Synapse.Tests.Relay.Mail;

/// <summary>
/// What every <see cref="IRelayMailStore"/> does, whether mail waits in the relay's memory or in a broker: run against
/// each store by the classes that derive from this one.
/// </summary>
public abstract class MailStoreContract
{
    private protected const string Alice = "did:key:alice";
    private protected const string Bob = "did:key:bob";
    private protected const string Carol = "did:key:carol";

    /// <summary>A store with these mailbox limits, released when the test ends.</summary>
    private protected abstract Task<IRelayMailStore> StoreAsync(MailboxOptions limits);

    private protected static MailItem Item(string sender = Alice) =>
        new(Guid.NewGuid(), sender, RelayFrame.EncodeDeliver(Guid.NewGuid().ToByteArray()), DateTimeOffset.UtcNow);

    private protected static bool Accepted(MailStatus status) => status is MailStatus.Held or MailStatus.Stored;

    private protected async Task<List<MailItem>> StoreAllAsync(IRelayMailStore store, string recipient, int count)
    {
        var items = Enumerable.Range(0, count).Select(_ => Item()).ToList();
        foreach (var item in items)
        {
            var status = await store.StoreAsync(recipient, item);
            Assert.True(Accepted(status), $"stored: {status}");
            store.Deliver(recipient);
        }

        return items;
    }

    protected async Task Mail_for_an_offline_agent_reaches_it_in_order_when_it_connects()
    {
        var store = await StoreAsync(new MailboxOptions());
        var items = await StoreAllAsync(store, Bob, 5);

        var bob = new Sink();
        store.Open(Bob, bob.Deliver);
        await bob.WaitForAsync(5);
        Assert.Equal(items.Select(item => item.MessageId), bob.Ids);
        Assert.Equal(items[0].Frame, bob.Frames[0]);
    }

    protected async Task Mail_for_a_connected_agent_reaches_it_and_no_one_else()
    {
        var store = await StoreAsync(new MailboxOptions());
        var bob = new Sink();
        var carol = new Sink();
        store.Open(Bob, bob.Deliver);
        store.Open(Carol, carol.Deliver);

        var items = await StoreAllAsync(store, Bob, 3);
        await bob.WaitForAsync(3);
        Assert.Equal(items.Select(item => item.MessageId), bob.Ids);
        Assert.Empty(carol.Ids);
    }

    protected async Task A_confirmation_names_the_sender_once_and_ignores_unknown_ids()
    {
        var store = await StoreAsync(new MailboxOptions());
        var bob = new Sink();
        var mailbox = store.Open(Bob, bob.Deliver);
        var item = (await StoreAllAsync(store, Bob, 1))[0];
        await bob.WaitForAsync(1);

        var confirmed = mailbox.Confirm([item.MessageId, Guid.NewGuid()]);
        var only = Assert.Single(confirmed);
        Assert.Equal(item.MessageId, only.MessageId);
        Assert.Equal(Alice, only.Sender);
        Assert.Empty(mailbox.Confirm([item.MessageId]));
    }

    protected async Task Unconfirmed_mail_reaches_the_agents_next_link_in_order_and_confirmed_mail_does_not()
    {
        var store = await StoreAsync(new MailboxOptions());
        var items = await StoreAllAsync(store, Bob, 3);
        var first = new Sink();
        var mailbox = store.Open(Bob, first.Deliver);
        await first.WaitForAsync(3);
        Assert.Single(mailbox.Confirm([items[0].MessageId]));
        mailbox.Close();

        var second = new Sink();
        var next = store.Open(Bob, second.Deliver);
        await second.WaitForAsync(2);
        Assert.Equal(items.Skip(1).Select(item => item.MessageId), second.Ids);
        Assert.Equal(2, next.Confirm(items.Select(item => item.MessageId)).Count);
    }

    protected async Task A_full_mailbox_refuses_until_its_agent_confirms()
    {
        var store = await StoreAsync(new MailboxOptions { MaxMessages = 2 });
        var items = await StoreAllAsync(store, Bob, 2);
        var refused = await store.StoreAsync(Bob, Item());
        Assert.True(refused is MailStatus.MailboxFull or MailStatus.MailboxFullMessages, $"refused: {refused}");

        var bob = new Sink();
        var mailbox = store.Open(Bob, bob.Deliver);
        await bob.WaitForAsync(2);
        Assert.Equal(2, mailbox.Confirm(items.Select(item => item.MessageId)).Count);
        var again = Item();
        await EventuallyAsync(() => Accepted(store.StoreAsync(Bob, again).AsTask().GetAwaiter().GetResult()), "stored once the mailbox drained");
    }

    protected async Task A_room_message_is_taken_and_a_change_of_members_completes()
    {
        var store = await StoreAsync(new MailboxOptions());
        await store.RoomChanged("ops").WaitAsync(TimeSpan.FromSeconds(20));
        var item = Item();
        Assert.Equal(MailStatus.Stored, await store.ForwardToRoomAsync("ops", Alice, item.MessageId, item.Frame));
    }

    /// <summary>Records what a store delivers to one link.</summary>
    private protected sealed class Sink
    {
        private readonly ConcurrentQueue<(Guid Id, byte[] Frame)> _delivered = new();

        public List<Guid> Ids => _delivered.Select(delivery => delivery.Id).ToList();

        public List<byte[]> Frames => _delivered.Select(delivery => delivery.Frame).ToList();

        public void Deliver(Guid messageId, ReadOnlyMemory<byte> frame, RelayLink? origin) => _delivered.Enqueue((messageId, frame.ToArray()));

        public async Task WaitForAsync(int count)
        {
            await EventuallyAsync(() => _delivered.Count >= count, $"{count} deliveries");
            await Task.Delay(100); // and no more
            Assert.Equal(count, _delivered.Count);
        }
    }
}
