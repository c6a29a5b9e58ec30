using System.Security.Cryptography;

namespace Synapse.Crypto;

/// <summary>
/// The native crypto backend (libsodium, bundled with NSec.Cryptography) could not be loaded, or failed in a way
/// that is not a verdict on the input. Messages never contain key material.
/// </summary>
public sealed class CryptoBackendException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public CryptoBackendException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public CryptoBackendException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
