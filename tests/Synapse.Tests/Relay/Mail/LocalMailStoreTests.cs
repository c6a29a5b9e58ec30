using Synapse.Relay.Configuration;
using Synapse.Relay.Server;
using Xunit;

namespace Synapse.Tests.Relay.Mail;

/// <summary>The relay's own memory as a mail store: the contract, and what only it does (window, limits, expiry).</summary>
public sealed class LocalMailStoreTests : MailStoreContract
{
    private protected override Task<IRelayMailStore> StoreAsync(MailboxOptions limits) => Task.FromResult<IRelayMailStore>(new LocalMailStore(limits));

    [Fact]
    public Task Offline_mail_in_order() => Mail_for_an_offline_agent_reaches_it_in_order_when_it_connects();

    [Fact]
    public Task Online_mail_to_its_agent_only() => Mail_for_a_connected_agent_reaches_it_and_no_one_else();

    [Fact]
    public Task Confirmations() => A_confirmation_names_the_sender_once_and_ignores_unknown_ids();

    [Fact]
    public Task Redelivery_to_the_next_link() => Unconfirmed_mail_reaches_the_agents_next_link_in_order_and_confirmed_mail_does_not();

    [Fact]
    public Task Full_mailbox() => A_full_mailbox_refuses_until_its_agent_confirms();

    [Fact]
    public Task Rooms() => A_room_message_is_taken_and_a_change_of_members_completes();

    [Fact]
    public async Task Messages_are_held_until_confirmed_and_the_sender_then_waits_for_its_acknowledgement()
    {
        var store = new LocalMailStore(new MailboxOptions());
        var item = Item();
        Assert.Equal(MailStatus.Held, await store.StoreAsync(Bob, item));
        var mailbox = store.Open(Bob, new Sink().Deliver);
        Assert.True(Assert.Single(mailbox.Confirm([item.MessageId])).SenderWaits);
    }

    [Fact]
    public async Task At_most_a_window_of_messages_is_in_flight_and_each_confirmation_lets_one_more_go()
    {
        var store = new LocalMailStore(new MailboxOptions());
        var items = await StoreAllAsync(store, Bob, LocalMailStore.DeliveryWindow + 10);
        var bob = new Sink();
        var mailbox = store.Open(Bob, bob.Deliver);
        Assert.Equal(LocalMailStore.DeliveryWindow, bob.Ids.Count);

        mailbox.Confirm(items.Take(4).Select(item => item.MessageId));
        store.Deliver(Bob);
        Assert.Equal(items.Take(LocalMailStore.DeliveryWindow + 4).Select(item => item.MessageId), bob.Ids);
    }

    [Fact]
    public async Task A_retransmission_is_stored_once()
    {
        var store = new LocalMailStore(new MailboxOptions());
        var item = Item();
        Assert.Equal(MailStatus.Held, await store.StoreAsync(Bob, item));
        Assert.Equal(MailStatus.Duplicate, await store.StoreAsync(Bob, item with { StoredAt = DateTimeOffset.UtcNow }));
        Assert.Single(store.MailFor(Bob));
        Assert.Equal(item.Frame.Length, store.StoredBytes);
    }

    [Fact]
    public async Task Each_limit_is_named_and_what_is_refused_holds_no_bytes()
    {
        var frame = Item().Frame.Length;
        var byMessages = new LocalMailStore(new MailboxOptions { MaxMessages = 1 });
        await byMessages.StoreAsync(Bob, Item());
        Assert.Equal(MailStatus.MailboxFullMessages, await byMessages.StoreAsync(Bob, Item()));

        var byBytes = new LocalMailStore(new MailboxOptions { MaxBytes = frame + 1, MaxTotalBytes = 100 * frame });
        await byBytes.StoreAsync(Bob, Item());
        Assert.Equal(MailStatus.MailboxFullBytes, await byBytes.StoreAsync(Bob, Item()));

        var byRelay = new LocalMailStore(new MailboxOptions { MaxBytes = 2 * frame, MaxTotalBytes = 2 * frame });
        await byRelay.StoreAsync(Bob, Item());
        await byRelay.StoreAsync(Carol, Item());
        Assert.Equal(MailStatus.RelayFull, await byRelay.StoreAsync(Alice, Item()));
        Assert.Equal(2 * frame, byRelay.StoredBytes);
    }

    [Fact]
    public async Task Confirmed_and_expired_mail_gives_its_bytes_back()
    {
        var store = new LocalMailStore(new MailboxOptions());
        var items = await StoreAllAsync(store, Bob, 2);
        var mailbox = store.Open(Bob, new Sink().Deliver);
        mailbox.Confirm(items.Select(item => item.MessageId));
        await StoreAllAsync(store, Carol, 1);
        store.Expire(DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(0, store.StoredBytes);
    }

    [Fact]
    public async Task Expiry_drops_waiting_mail_names_it_and_forgets_the_empty_mailboxes_of_offline_agents()
    {
        var store = new LocalMailStore(new MailboxOptions());
        var old = await StoreAllAsync(store, Carol, 2);
        var bob = store.Open(Bob, new Sink().Deliver);
        var inFlight = await StoreAllAsync(store, Bob, 1);

        var expired = store.Expire(DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(old.Select(item => new ExpiredMail(Carol, item.MessageId, Alice)), expired);
        Assert.Equal(inFlight.Select(item => item.MessageId), store.MailFor(Bob).Select(item => item.MessageId)); // in flight: not expired
        Assert.Equal(1, store.MailboxCount); // Carol's empty mailbox is gone

        bob.Confirm(inFlight.Select(item => item.MessageId));
        Assert.Empty(store.Expire(DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Equal(1, store.MailboxCount); // Bob's empty mailbox stays while he is connected
        bob.Close();
        store.Expire(DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(0, store.MailboxCount);
    }

    [Fact]
    public async Task A_link_that_was_taken_over_leaves_the_new_links_mail_in_flight()
    {
        var store = new LocalMailStore(new MailboxOptions());
        var items = await StoreAllAsync(store, Bob, 2);
        var first = new Sink();
        var old = store.Open(Bob, first.Deliver);
        var second = new Sink();
        store.Open(Bob, second.Deliver);
        Assert.Equal(items.Select(item => item.MessageId), second.Ids); // the older link's mail in flight goes to the new one

        old.Close();
        store.Deliver(Bob);
        Assert.Equal(2, second.Ids.Count); // nothing handed back and delivered twice
        Assert.Equal(2, first.Ids.Count);
    }

    [Fact]
    public async Task A_closed_mailbox_receives_nothing_more()
    {
        var store = new LocalMailStore(new MailboxOptions());
        var bob = new Sink();
        store.Open(Bob, bob.Deliver).Close();
        await StoreAllAsync(store, Bob, 1);
        Assert.Empty(bob.Ids);
        Assert.Single(store.MailFor(Bob));
    }
}
