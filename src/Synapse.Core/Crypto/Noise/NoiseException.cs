using System.Security.Cryptography;

namespace Synapse.Crypto.Noise;

/// <summary>
/// A Noise protocol failure: a malformed or out-of-turn message, an exhausted nonce, an invalid key. Messages
/// never contain key material. Authentication failures are the more specific
/// <see cref="NoiseAuthenticationException"/>; a peer whose identity does not check out gives
/// <see cref="NoiseIdentityException"/>.
/// </summary>
public class NoiseException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A description without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public NoiseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A ciphertext (handshake field or transport message) that failed authentication: it was tampered with,
/// replayed, reordered, or encrypted under another key. The link must be closed.
/// </summary>
public sealed class NoiseAuthenticationException : NoiseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A description without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public NoiseAuthenticationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The peer's identity payload in a Synapse handshake is malformed, its signature over the peer's Noise static
/// key does not verify, or the peer is not the agent that was expected.
/// </summary>
public sealed class NoiseIdentityException : NoiseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A description without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public NoiseIdentityException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
