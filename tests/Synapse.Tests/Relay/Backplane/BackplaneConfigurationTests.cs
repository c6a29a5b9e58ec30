using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.RabbitMQ;
using Synapse.Relay.Server;
using Xunit;

namespace Synapse.Tests.Relay.Backplane;

/// <summary>The <c>backplane</c> section, and what a relay does with it, without a broker.</summary>
public sealed class BackplaneConfigurationTests
{
    [Fact]
    public void The_rabbitmq_section_is_read_with_its_defaults()
    {
        var options = RelayConfiguration.Parse("""{"backplane": {"rabbitmq": {"uri": "amqp://relay:secret@10.0.0.5:5672/prod", "prefix": "acme"}}}""");

        var backplane = Assert.IsType<BackplaneOptions>(options.Backplane);
        Assert.Equal("rabbitmq", backplane.Broker);
        Assert.Equal(new Uri("amqp://relay:secret@10.0.0.5:5672/prod"), backplane.Uri);
        Assert.Equal("acme", backplane.Prefix);
        Assert.Equal(TimeSpan.FromSeconds(10), backplane.ConfirmTimeout);
        Assert.Null(RelayConfiguration.Parse("{}").Backplane);
        Assert.Null(RelayConfiguration.Parse("""{"backplane": null}""").Backplane);
    }

    [Theory]
    [InlineData("""{"backplane": {}}""", "backplane.rabbitmq", "needs a 'rabbitmq' section")]
    [InlineData("""{"backplane": {"rabbitmq": {}}}""", "backplane.rabbitmq.uri", "is required")]
    [InlineData("""{"backplane": {"rabbitmq": {"uri": "http://u:hunter2@host/"}}}""", "backplane.rabbitmq.uri", "'http://u:***@host/' is not an amqp://")]
    [InlineData("""{"backplane": {"rabbitmq": {"uri": "amqp://host/", "prefix": "a b"}}}""", "backplane.rabbitmq.prefix", "ASCII letters")]
    [InlineData("""{"backplane": {"rabbitmq": {"uri": "amqp://host/", "confirm_timeout_secs": 0}}}""", "backplane.rabbitmq.confirm_timeout_secs", "must be positive")]
    [InlineData("""{"backplane": {"rabbitmq": {"uri": "amqp://host/", "exchange": "x"}}}""", "backplane.rabbitmq.exchange", "")]
    [InlineData("""{"backplane": {"kafka": {}, "rabbitmq": {"uri": "amqp://host/"}}}""", "backplane.kafka", "")]
    public void A_bad_backplane_section_names_the_key(string json, string key, string problem)
    {
        var error = Assert.Throws<RelayConfigurationException>(() => RelayConfiguration.Parse(json));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relay_configured_for_a_backplane_but_given_none_refuses_to_start()
    {
        var options = RelayTestKit.Options() with { Backplane = new BackplaneOptions { Uri = new Uri("amqp://127.0.0.1/") } };

        var error = Assert.Throws<RelayConfigurationException>(() => new RelayServer(options));

        Assert.Contains("backplane", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_broker_fails_the_start_with_its_address()
    {
        var options = RelayTestKit.Options() with { Backplane = new BackplaneOptions { Uri = new Uri("amqp://guest:hunter2@127.0.0.1:1/") } };
        await using var relay = new RelayServer(options, backplane: new RabbitMqBackplane(options));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => relay.StartAsync());

        Assert.Contains("amqp://127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Room_keys_are_fixed_length_and_literal()
    {
        Assert.Equal(64, BrokerTopology.RoomKey(new string('x', 256)).Length);
        Assert.NotEqual(BrokerTopology.RoomKey("a.*"), BrokerTopology.RoomKey("a.b"));
        Assert.Equal(BrokerTopology.RoomKey("ops"), BrokerTopology.RoomKey("ops"));
    }

    [Fact]
    public void Mailbox_queues_carry_the_relay_mailbox_limits()
    {
        var topology = new BrokerTopology(new BackplaneOptions { Uri = new Uri("amqp://h/"), Prefix = "p" },
            new MailboxOptions { MaxMessages = 7, MaxBytes = 4096, TimeToLive = TimeSpan.FromMinutes(2) });

        var arguments = topology.MailboxArguments();

        Assert.Equal("p.mailbox.did:key:z6Mkx", topology.MailboxQueue("did:key:z6Mkx"));
        Assert.Equal(7L, arguments["x-max-length"]);
        Assert.Equal(4096L, arguments["x-max-length-bytes"]);
        Assert.Equal("reject-publish", arguments["x-overflow"]);
        Assert.Equal(120_000L, arguments["x-message-ttl"]);
        Assert.Equal(3_600_000L, arguments["x-expires"]); // at least an hour, and after the messages expire
        Assert.Equal(true, arguments["x-single-active-consumer"]);
    }
}
