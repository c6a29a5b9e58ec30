namespace Synapse.Discovery;

/// <summary>Why an agent card was refused.</summary>
public enum AgentCardError
{
    /// <summary>The bytes are not an agent card, or break a limit of <see cref="AgentCardLimits"/>.</summary>
    Malformed,

    /// <summary>The encoding is larger than the limit.</summary>
    TooLarge,

    /// <summary>The signature is not the card's agent's: the card is forged or was altered.</summary>
    BadSignature,

    /// <summary>The card's expiry has passed.</summary>
    Expired,

    /// <summary>The card is issued later than now (beyond the allowed clock skew).</summary>
    NotYetValid,

    /// <summary>The encryption key certificate is not issued by the card's agent for itself.</summary>
    ForeignEncryptionKey,
}

/// <summary>An agent card that cannot be decoded or does not verify.</summary>
public sealed class AgentCardException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the card was refused.</param>
    /// <param name="message">Words for people.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AgentCardException(AgentCardError reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>Why the card was refused.</summary>
    public AgentCardError Reason { get; }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(AgentCardException)} [{Reason}]: {Message}";
}
