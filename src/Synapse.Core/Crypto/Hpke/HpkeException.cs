using System.Security.Cryptography;

namespace Synapse.Crypto.Hpke;

/// <summary>What went wrong in an HPKE operation.</summary>
public enum HpkeError
{
    /// <summary>
    /// A Diffie-Hellman operation produced the all-zero value: a public key (the recipient's, the sender's or
    /// the encapsulated key) is a low-order point (RFC 9180 §7.1.4, <c>EncapError</c>/<c>DecapError</c>).
    /// </summary>
    InvalidKey,

    /// <summary>The ciphertext did not authenticate under this context (RFC 9180 <c>OpenError</c>).</summary>
    OpenFailed,

    /// <summary>The context has used up its sequence numbers (RFC 9180 <c>MessageLimitReachedError</c>).</summary>
    MessageLimitReached,

    /// <summary>
    /// The pre-shared key inputs do not match the mode: a PSK without an id or the reverse, a PSK in a mode
    /// without one, or none in a PSK mode (RFC 9180 §5.1, <c>VerifyPSKInputs</c>).
    /// </summary>
    InconsistentPsk,
}

/// <summary>An HPKE failure; <see cref="Error"/> says which. Messages never contain key material.</summary>
public sealed class HpkeException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="message">A description without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public HpkeException(HpkeError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>What went wrong.</summary>
    public HpkeError Error { get; }
}
