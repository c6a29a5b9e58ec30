namespace Synapse.Envelopes;

/// <summary>Why a sealed envelope (or an encryption key certificate) was refused.</summary>
public enum EnvelopeError
{
    /// <summary>The bytes are not a well-formed envelope or certificate (wrong structure, types, sizes or version).</summary>
    Malformed,

    /// <summary>The envelope, its payload, or its topic exceeds the configured <see cref="EnvelopeLimits"/>.</summary>
    TooLarge,

    /// <summary>The sender's Ed25519 signature does not verify: the envelope was altered, or not signed by the claimed sender.</summary>
    BadSignature,

    /// <summary>The envelope is addressed to someone this opener holds no key for.</summary>
    WrongRecipient,

    /// <summary>The timestamp is older than the allowed age (or older than the replay cache can vouch for).</summary>
    Expired,

    /// <summary>The timestamp is further in the future than the allowed clock skew.</summary>
    FromTheFuture,

    /// <summary>An envelope with the same sender and message id was already opened within the window.</summary>
    Replayed,

    /// <summary>HPKE decryption failed: the ciphertext was sealed to another key, or the encapsulated key is invalid.</summary>
    DecryptionFailed,

    /// <summary>An encryption key certificate has a bad signature, is expired or not yet valid, or is inconsistent.</summary>
    InvalidKeyCertificate,
}

/// <summary>A sealed envelope or key certificate was refused; <see cref="Reason"/> says why.</summary>
public sealed class EnvelopeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why it was refused.</param>
    /// <param name="message">A description (no secrets, no payload).</param>
    /// <param name="innerException">The cause, if any.</param>
    public EnvelopeException(EnvelopeError reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>Why it was refused.</summary>
    public EnvelopeError Reason { get; }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(EnvelopeException)} [{Reason}]: {Message}";
}
