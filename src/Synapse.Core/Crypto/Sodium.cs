using NSec.Cryptography;

namespace Synapse.Crypto;

/// <summary>
/// The NSec algorithms Synapse uses, obtained once. NSec loads its bundled libsodium on first use; if that fails
/// (an unsupported platform, a stripped deployment) the first crypto call throws <see cref="CryptoBackendException"/>
/// rather than a type-initialisation failure.
/// </summary>
internal static class Sodium
{
    private static SignatureAlgorithm? s_ed25519;
    private static KeyAgreementAlgorithm? s_x25519;
    private static KeyDerivationAlgorithm2? s_hkdfSha256;

    /// <summary>Ed25519 (RFC 8032).</summary>
    public static SignatureAlgorithm Ed25519 => s_ed25519 ??= Load(static () => SignatureAlgorithm.Ed25519);

    /// <summary>X25519 (RFC 7748).</summary>
    public static KeyAgreementAlgorithm X25519 => s_x25519 ??= Load(static () => KeyAgreementAlgorithm.X25519);

    /// <summary>HKDF-SHA256 (RFC 5869), for extracting from a <see cref="SharedSecret"/> without exporting it.</summary>
    public static KeyDerivationAlgorithm2 HkdfSha256 => s_hkdfSha256 ??= Load(static () => KeyDerivationAlgorithm.HkdfSha256);

    private static T Load<T>(Func<T> algorithm)
    {
        try
        {
            return algorithm();
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or PlatformNotSupportedException)
        {
            throw new CryptoBackendException($"libsodium (bundled with NSec.Cryptography) could not be loaded or initialised: {e.Message}", e);
        }
    }
}
