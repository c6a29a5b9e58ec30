namespace Synapse.Relay.Configuration;

/// <summary>
/// The broker several relays share (<c>backplane</c>): direct messages to agents on other relays, rooms that span
/// relays, durable mailboxes and a shared directory. Null (the default) keeps routing in the relay's memory.
/// </summary>
public sealed record BackplaneOptions
{
    /// <summary>The broker kind: <c>rabbitmq</c>, the key of the section under <c>backplane</c>.</summary>
    public string Broker { get; init; } = "rabbitmq";

    /// <summary>Where the broker listens (<c>uri</c>), an <c>amqp://</c> or <c>amqps://</c> URI with credentials and virtual host.</summary>
    public required Uri Uri { get; init; }

    /// <summary>
    /// The prefix of every exchange and queue name (<c>prefix</c>). Relays that should reach each other use the same
    /// prefix; separate deployments on one broker use different ones.
    /// </summary>
    public string Prefix { get; init; } = "synapse";

    /// <summary>How long a publish may wait for the broker's confirmation before the sender is told to retry (<c>confirm_timeout_secs</c>).</summary>
    public TimeSpan ConfirmTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest pause between attempts to reconnect to the broker (<c>max_reconnect_delay_secs</c>).</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        RelayOptions.Check(Broker == "rabbitmq", "backplane", $"'{Broker}' is not a known broker; the one supported is 'rabbitmq'");
        RelayOptions.Check(Uri.IsAbsoluteUri && Uri.Scheme is "amqp" or "amqps", "backplane.rabbitmq.uri", "must be an amqp:// or amqps:// URI");
        RelayOptions.Check(Prefix.Length is > 0 and <= 64 && Prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
            "backplane.rabbitmq.prefix", "must be 1 to 64 ASCII letters, digits, '-', '_' or '.'");
        RelayOptions.Check(ConfirmTimeout > TimeSpan.Zero && ConfirmTimeout <= RelayOptions.MaxTimer, "backplane.rabbitmq.confirm_timeout_secs", "must be positive");
        RelayOptions.Check(MaxReconnectDelay > TimeSpan.Zero && MaxReconnectDelay <= RelayOptions.MaxTimer, "backplane.rabbitmq.max_reconnect_delay_secs", "must be positive");
    }
}
