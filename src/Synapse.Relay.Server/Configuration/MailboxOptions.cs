namespace Synapse.Relay.Configuration;

/// <summary>Store-and-forward of direct messages for each recipient (<c>mailbox</c>).</summary>
public sealed record MailboxOptions
{
    /// <summary>The most messages waiting for one recipient (<c>max_messages</c>); beyond it senders are told to retry.</summary>
    public int MaxMessages { get; init; } = 1000;

    /// <summary>The most bytes waiting for one recipient (<c>max_bytes</c>).</summary>
    public long MaxBytes { get; init; } = 16L << 20;

    /// <summary>
    /// The most bytes all mailboxes of this relay hold together (<c>max_total_bytes</c>): one sender writing to many
    /// recipients fills each mailbox only to its own limit, and this bounds the sum. Beyond it senders are told to
    /// retry. Mailboxes kept by a backplane's broker are bounded there instead.
    /// </summary>
    public long MaxTotalBytes { get; init; } = 1L << 30;

    /// <summary>How long a message waits for its recipient before it is dropped and its sender told (<c>ttl_secs</c>).</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromHours(24);

    internal void Validate()
    {
        RelayOptions.Check(MaxMessages > 0, "mailbox.max_messages", "must be positive");
        RelayOptions.Check(MaxBytes > 0, "mailbox.max_bytes", "must be positive");
        RelayOptions.Check(MaxTotalBytes >= MaxBytes, "mailbox.max_total_bytes", "must be at least max_bytes");
        RelayOptions.Check(TimeToLive > TimeSpan.Zero, "mailbox.ttl_secs", "must be positive");
    }
}
