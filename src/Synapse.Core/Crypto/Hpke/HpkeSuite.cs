using System.Security.Cryptography;

namespace Synapse.Crypto.Hpke;

/// <summary>
/// Hybrid Public Key Encryption (RFC 9180) for the single suite Synapse uses: DHKEM(X25519, HKDF-SHA256)
/// (<c>kem_id</c> 0x0020), HKDF-SHA256 (<c>kdf_id</c> 0x0001) and ChaCha20-Poly1305 (<c>aead_id</c> 0x0003), in
/// all four modes. Each <c>Setup…Sender</c> generates a fresh ephemeral key, writes the encapsulated key
/// <c>enc</c> (32 bytes) for the recipient, and returns a sending <see cref="HpkeContext"/>; the matching
/// <c>Setup…Receiver</c> takes <c>enc</c> and returns the receiving context.
/// </summary>
/// <remarks>
/// Keys are raw X25519 keys (<see cref="X25519.KeySize"/> bytes). A Diffie-Hellman result of all zeros (a
/// low-order public key) fails with <see cref="HpkeError.InvalidKey"/>, as RFC 9180 §7.1.4 requires. The
/// X25519 operations are libsodium's through NSec (<see cref="X25519"/>); HKDF and ChaCha20-Poly1305 are the .NET base
/// library's.
/// </remarks>
public static class HpkeSuite
{
    /// <summary>The KEM identifier of DHKEM(X25519, HKDF-SHA256).</summary>
    public const ushort KemId = 0x0020;

    /// <summary>The KDF identifier of HKDF-SHA256.</summary>
    public const ushort KdfId = 0x0001;

    /// <summary>The AEAD identifier of ChaCha20-Poly1305.</summary>
    public const ushort AeadId = 0x0003;

    /// <summary>The size of a public key, a private key and the encapsulated key <c>enc</c> (Npk = Nsk = Nenc).</summary>
    public const int KeySize = 32;

    /// <summary>The size of the AEAD key (Nk).</summary>
    public const int AeadKeySize = 32;

    /// <summary>The size of the AEAD nonce (Nn).</summary>
    public const int NonceSize = 12;

    /// <summary>The size of the authentication tag added to every ciphertext (Nt).</summary>
    public const int TagSize = 16;

    /// <summary>The longest secret <see cref="HpkeContext.Export(ReadOnlySpan{byte}, Span{byte})"/> can produce (255 × Nh).</summary>
    public const int MaxExportLength = 255 * HpkeKdf.HashSize;

    private static ReadOnlySpan<byte> EmptyLabel => [];

    /// <summary>Sets up a base-mode sender (RFC 9180 <c>SetupBaseS</c>).</summary>
    /// <param name="recipientPublicKey">The recipient's X25519 public key.</param>
    /// <param name="info">Application-supplied context, bound into the keys.</param>
    /// <param name="encapsulatedKey">Receives <c>enc</c> (<see cref="KeySize"/> bytes) to send to the recipient.</param>
    /// <returns>A context that seals messages and exports secrets.</returns>
    /// <exception cref="ArgumentException">A key or buffer has the wrong size.</exception>
    /// <exception cref="HpkeException">The recipient key is a low-order point.</exception>
    public static HpkeContext SetupBaseSender(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> info, Span<byte> encapsulatedKey) =>
        SetupSender(HpkeMode.Base, recipientPublicKey, info, default, default, default, encapsulatedKey);

    /// <summary>Sets up a base-mode receiver (RFC 9180 <c>SetupBaseR</c>).</summary>
    /// <param name="encapsulatedKey">The sender's <c>enc</c>.</param>
    /// <param name="recipientPrivateKey">The recipient's X25519 private key.</param>
    /// <param name="info">The same context the sender used.</param>
    /// <returns>A context that opens the sender's messages and exports secrets.</returns>
    /// <exception cref="ArgumentException">A key has the wrong size.</exception>
    /// <exception cref="HpkeException"><paramref name="encapsulatedKey"/> is a low-order point.</exception>
    public static HpkeContext SetupBaseReceiver(ReadOnlySpan<byte> encapsulatedKey, ReadOnlySpan<byte> recipientPrivateKey, ReadOnlySpan<byte> info) =>
        SetupReceiver(HpkeMode.Base, encapsulatedKey, recipientPrivateKey, info, default, default, default);

    /// <summary>Sets up a PSK-mode sender (RFC 9180 <c>SetupPSKS</c>).</summary>
    /// <param name="recipientPublicKey">The recipient's X25519 public key.</param>
    /// <param name="info">Application-supplied context.</param>
    /// <param name="psk">The pre-shared key (non-empty; RFC 9180 asks for at least 32 bytes of entropy).</param>
    /// <param name="pskId">The pre-shared key's identifier (non-empty).</param>
    /// <param name="encapsulatedKey">Receives <c>enc</c>.</param>
    /// <returns>A sending context.</returns>
    /// <exception cref="ArgumentException">A key or buffer has the wrong size.</exception>
    /// <exception cref="HpkeException">A low-order key, or an empty PSK or PSK id.</exception>
    public static HpkeContext SetupPskSender(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> info, ReadOnlySpan<byte> psk, ReadOnlySpan<byte> pskId, Span<byte> encapsulatedKey) =>
        SetupSender(HpkeMode.Psk, recipientPublicKey, info, psk, pskId, default, encapsulatedKey);

    /// <summary>Sets up a PSK-mode receiver (RFC 9180 <c>SetupPSKR</c>).</summary>
    /// <param name="encapsulatedKey">The sender's <c>enc</c>.</param>
    /// <param name="recipientPrivateKey">The recipient's X25519 private key.</param>
    /// <param name="info">The same context the sender used.</param>
    /// <param name="psk">The pre-shared key.</param>
    /// <param name="pskId">The pre-shared key's identifier.</param>
    /// <returns>A receiving context.</returns>
    /// <exception cref="ArgumentException">A key has the wrong size.</exception>
    /// <exception cref="HpkeException">A low-order key, or an empty PSK or PSK id.</exception>
    public static HpkeContext SetupPskReceiver(ReadOnlySpan<byte> encapsulatedKey, ReadOnlySpan<byte> recipientPrivateKey, ReadOnlySpan<byte> info, ReadOnlySpan<byte> psk, ReadOnlySpan<byte> pskId) =>
        SetupReceiver(HpkeMode.Psk, encapsulatedKey, recipientPrivateKey, info, psk, pskId, default);

    /// <summary>Sets up an auth-mode sender (RFC 9180 <c>SetupAuthS</c>): the recipient learns that the holder of
    /// <paramref name="senderPrivateKey"/> sent the messages.</summary>
    /// <param name="recipientPublicKey">The recipient's X25519 public key.</param>
    /// <param name="info">Application-supplied context.</param>
    /// <param name="senderPrivateKey">The sender's static X25519 private key.</param>
    /// <param name="encapsulatedKey">Receives <c>enc</c>.</param>
    /// <returns>A sending context.</returns>
    /// <exception cref="ArgumentException">A key or buffer has the wrong size.</exception>
    /// <exception cref="HpkeException">The recipient key is a low-order point.</exception>
    public static HpkeContext SetupAuthSender(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> info, ReadOnlySpan<byte> senderPrivateKey, Span<byte> encapsulatedKey) =>
        SetupSender(HpkeMode.Auth, recipientPublicKey, info, default, default, senderPrivateKey, encapsulatedKey);

    /// <summary>Sets up an auth-mode receiver (RFC 9180 <c>SetupAuthR</c>).</summary>
    /// <param name="encapsulatedKey">The sender's <c>enc</c>.</param>
    /// <param name="recipientPrivateKey">The recipient's X25519 private key.</param>
    /// <param name="info">The same context the sender used.</param>
    /// <param name="senderPublicKey">The sender's static X25519 public key.</param>
    /// <returns>A receiving context.</returns>
    /// <exception cref="ArgumentException">A key has the wrong size.</exception>
    /// <exception cref="HpkeException">A low-order key.</exception>
    public static HpkeContext SetupAuthReceiver(ReadOnlySpan<byte> encapsulatedKey, ReadOnlySpan<byte> recipientPrivateKey, ReadOnlySpan<byte> info, ReadOnlySpan<byte> senderPublicKey) =>
        SetupReceiver(HpkeMode.Auth, encapsulatedKey, recipientPrivateKey, info, default, default, senderPublicKey);

    /// <summary>Sets up an auth-PSK-mode sender (RFC 9180 <c>SetupAuthPSKS</c>).</summary>
    /// <param name="recipientPublicKey">The recipient's X25519 public key.</param>
    /// <param name="info">Application-supplied context.</param>
    /// <param name="psk">The pre-shared key (non-empty).</param>
    /// <param name="pskId">The pre-shared key's identifier (non-empty).</param>
    /// <param name="senderPrivateKey">The sender's static X25519 private key.</param>
    /// <param name="encapsulatedKey">Receives <c>enc</c>.</param>
    /// <returns>A sending context.</returns>
    /// <exception cref="ArgumentException">A key or buffer has the wrong size.</exception>
    /// <exception cref="HpkeException">A low-order key, or an empty PSK or PSK id.</exception>
    public static HpkeContext SetupAuthPskSender(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> info, ReadOnlySpan<byte> psk, ReadOnlySpan<byte> pskId, ReadOnlySpan<byte> senderPrivateKey, Span<byte> encapsulatedKey) =>
        SetupSender(HpkeMode.AuthPsk, recipientPublicKey, info, psk, pskId, senderPrivateKey, encapsulatedKey);

    /// <summary>Sets up an auth-PSK-mode receiver (RFC 9180 <c>SetupAuthPSKR</c>).</summary>
    /// <param name="encapsulatedKey">The sender's <c>enc</c>.</param>
    /// <param name="recipientPrivateKey">The recipient's X25519 private key.</param>
    /// <param name="info">The same context the sender used.</param>
    /// <param name="psk">The pre-shared key.</param>
    /// <param name="pskId">The pre-shared key's identifier.</param>
    /// <param name="senderPublicKey">The sender's static X25519 public key.</param>
    /// <returns>A receiving context.</returns>
    /// <exception cref="ArgumentException">A key has the wrong size.</exception>
    /// <exception cref="HpkeException">A low-order key, or an empty PSK or PSK id.</exception>
    public static HpkeContext SetupAuthPskReceiver(ReadOnlySpan<byte> encapsulatedKey, ReadOnlySpan<byte> recipientPrivateKey, ReadOnlySpan<byte> info, ReadOnlySpan<byte> psk, ReadOnlySpan<byte> pskId, ReadOnlySpan<byte> senderPublicKey) =>
        SetupReceiver(HpkeMode.AuthPsk, encapsulatedKey, recipientPrivateKey, info, psk, pskId, senderPublicKey);

    /// <summary>
    /// Derives a key pair deterministically from input keying material (RFC 9180 §7.1.3, <c>DeriveKeyPair</c>
    /// for X25519). The same <paramref name="ikm"/> always gives the same pair; it must hold at least 32 bytes
    /// of entropy.
    /// </summary>
    /// <param name="ikm">The input keying material (at least <see cref="KeySize"/> bytes).</param>
    /// <param name="privateKey">Receives the X25519 private key.</param>
    /// <param name="publicKey">Receives the X25519 public key.</param>
    /// <exception cref="ArgumentException"><paramref name="ikm"/> is shorter than 32 bytes or a buffer has the wrong size.</exception>
    public static void DeriveKeyPair(ReadOnlySpan<byte> ikm, Span<byte> privateKey, Span<byte> publicKey)
    {
        if (ikm.Length < KeySize)
        {
            throw new ArgumentException($"The input keying material must be at least {KeySize} bytes.", nameof(ikm));
        }

        CryptoArgs.RequireLength(privateKey, KeySize, nameof(privateKey));
        CryptoArgs.RequireLength(publicKey, KeySize, nameof(publicKey));
        Span<byte> prk = stackalloc byte[HpkeKdf.HashSize];
        try
        {
            HpkeKdf.LabeledExtract(HpkeKdf.KemSuiteId, default, "dkp_prk"u8, ikm, prk);
            HpkeKdf.LabeledExpand(HpkeKdf.KemSuiteId, prk, "sk"u8, EmptyLabel, privateKey);
            X25519.DerivePublicKey(privateKey, publicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>Any-mode sender with a freshly generated ephemeral key.</summary>
    private static HpkeContext SetupSender(
        HpkeMode mode,
        ReadOnlySpan<byte> recipientPublicKey,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> psk,
        ReadOnlySpan<byte> pskId,
        ReadOnlySpan<byte> senderPrivateKey,
        Span<byte> encapsulatedKey)
    {
        Span<byte> ephemeralPrivate = stackalloc byte[KeySize];
        Span<byte> ephemeralPublic = stackalloc byte[KeySize];
        try
        {
            X25519.GenerateKeyPair(ephemeralPrivate, ephemeralPublic);
            return SetupSenderDeterministic(mode, ephemeralPrivate, recipientPublicKey, info, psk, pskId, senderPrivateKey, encapsulatedKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeralPrivate);
        }
    }

    /// <summary>
    /// Any-mode sender with a caller-chosen ephemeral private key: for known-answer tests only (reusing an
    /// ephemeral key across messages destroys HPKE's security).
    /// </summary>
    internal static HpkeContext SetupSenderDeterministic(
        HpkeMode mode,
        ReadOnlySpan<byte> ephemeralPrivateKey,
        ReadOnlySpan<byte> recipientPublicKey,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> psk,
        ReadOnlySpan<byte> pskId,
        ReadOnlySpan<byte> senderPrivateKey,
        Span<byte> encapsulatedKey)
    {
        bool auth = mode is HpkeMode.Auth or HpkeMode.AuthPsk;
        CryptoArgs.RequireLength(ephemeralPrivateKey, KeySize, nameof(ephemeralPrivateKey));
        CryptoArgs.RequireLength(recipientPublicKey, KeySize, nameof(recipientPublicKey));
        CryptoArgs.RequireLength(encapsulatedKey, KeySize, nameof(encapsulatedKey));
        if (auth)
        {
            CryptoArgs.RequireLength(senderPrivateKey, KeySize, nameof(senderPrivateKey));
        }

        VerifyPskInputs(mode, psk, pskId);
        Span<byte> sharedSecret = stackalloc byte[HpkeKdf.HashSize];
        try
        {
            Encap(ephemeralPrivateKey, recipientPublicKey, auth ? senderPrivateKey : default, encapsulatedKey, sharedSecret);
            return KeySchedule(mode, isSender: true, sharedSecret, info, psk, pskId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
        }
    }

    /// <summary>Any-mode receiver (<c>Decap</c> / <c>AuthDecap</c>, then the key schedule).</summary>
    internal static HpkeContext SetupReceiver(
        HpkeMode mode,
        ReadOnlySpan<byte> encapsulatedKey,
        ReadOnlySpan<byte> recipientPrivateKey,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> psk,
        ReadOnlySpan<byte> pskId,
        ReadOnlySpan<byte> senderPublicKey)
    {
        bool auth = mode is HpkeMode.Auth or HpkeMode.AuthPsk;
        CryptoArgs.RequireLength(encapsulatedKey, KeySize, nameof(encapsulatedKey));
        CryptoArgs.RequireLength(recipientPrivateKey, KeySize, nameof(recipientPrivateKey));
        if (auth)
        {
            CryptoArgs.RequireLength(senderPublicKey, KeySize, nameof(senderPublicKey));
        }

        VerifyPskInputs(mode, psk, pskId);
        Span<byte> sharedSecret = stackalloc byte[HpkeKdf.HashSize];
        try
        {
            Decap(encapsulatedKey, recipientPrivateKey, auth ? senderPublicKey : default, sharedSecret);
            return KeySchedule(mode, isSender: false, sharedSecret, info, psk, pskId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
        }
    }

    /// <summary>
    /// DHKEM <c>Encap</c> (or <c>AuthEncap</c> when <paramref name="senderPrivateKey"/> is non-empty) with a given
    /// ephemeral key (RFC 9180 §4.1): <c>enc = pkE</c>, <c>kem_context = enc || pkR [|| pkS]</c>.
    /// </summary>
    internal static void Encap(ReadOnlySpan<byte> ephemeralPrivateKey, ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> senderPrivateKey, Span<byte> encapsulatedKey, Span<byte> sharedSecret)
    {
        Span<byte> dh = stackalloc byte[2 * KeySize];
        Span<byte> kemContext = stackalloc byte[3 * KeySize];
        try
        {
            X25519.DerivePublicKey(ephemeralPrivateKey, encapsulatedKey);
            Agree(ephemeralPrivateKey, recipientPublicKey, dh[..KeySize], "the recipient's public key");
            encapsulatedKey.CopyTo(kemContext);
            recipientPublicKey.CopyTo(kemContext[KeySize..]);
            int dhLength = KeySize;
            int contextLength = 2 * KeySize;
            if (!senderPrivateKey.IsEmpty)
            {
                Agree(senderPrivateKey, recipientPublicKey, dh[KeySize..], "the recipient's public key");
                X25519.DerivePublicKey(senderPrivateKey, kemContext[(2 * KeySize)..]);
                dhLength = 2 * KeySize;
                contextLength = 3 * KeySize;
            }

            ExtractAndExpand(dh[..dhLength], kemContext[..contextLength], sharedSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
        }
    }

    /// <summary>DHKEM <c>Decap</c> (or <c>AuthDecap</c> when <paramref name="senderPublicKey"/> is non-empty).</summary>
    internal static void Decap(ReadOnlySpan<byte> encapsulatedKey, ReadOnlySpan<byte> recipientPrivateKey, ReadOnlySpan<byte> senderPublicKey, Span<byte> sharedSecret)
    {
        Span<byte> dh = stackalloc byte[2 * KeySize];
        Span<byte> kemContext = stackalloc byte[3 * KeySize];
        try
        {
            Agree(recipientPrivateKey, encapsulatedKey, dh[..KeySize], "the encapsulated key");
            encapsulatedKey.CopyTo(kemContext);
            X25519.DerivePublicKey(recipientPrivateKey, kemContext.Slice(KeySize, KeySize));
            int dhLength = KeySize;
            int contextLength = 2 * KeySize;
            if (!senderPublicKey.IsEmpty)
            {
                Agree(recipientPrivateKey, senderPublicKey, dh[KeySize..], "the sender's public key");
                senderPublicKey.CopyTo(kemContext[(2 * KeySize)..]);
                dhLength = 2 * KeySize;
                contextLength = 3 * KeySize;
            }

            ExtractAndExpand(dh[..dhLength], kemContext[..contextLength], sharedSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
        }
    }

    /// <summary>DHKEM's <c>ExtractAndExpand</c>: the KEM shared secret from the DH output(s) and the KEM context.</summary>
    private static void ExtractAndExpand(ReadOnlySpan<byte> dh, ReadOnlySpan<byte> kemContext, Span<byte> sharedSecret)
    {
        Span<byte> prk = stackalloc byte[HpkeKdf.HashSize];
        try
        {
            HpkeKdf.LabeledExtract(HpkeKdf.KemSuiteId, default, "eae_prk"u8, dh, prk);
            HpkeKdf.LabeledExpand(HpkeKdf.KemSuiteId, prk, "shared_secret"u8, kemContext, sharedSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>The key schedule of RFC 9180 §5.1.</summary>
    private static HpkeContext KeySchedule(HpkeMode mode, bool isSender, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> info, ReadOnlySpan<byte> psk, ReadOnlySpan<byte> pskId)
    {
        Span<byte> context = stackalloc byte[1 + (2 * HpkeKdf.HashSize)];
        Span<byte> secret = stackalloc byte[HpkeKdf.HashSize];
        Span<byte> key = stackalloc byte[AeadKeySize];
        Span<byte> baseNonce = stackalloc byte[NonceSize];
        Span<byte> exporterSecret = stackalloc byte[HpkeKdf.HashSize];
        try
        {
            context[0] = (byte)mode;
            HpkeKdf.LabeledExtract(HpkeKdf.HpkeSuiteId, default, "psk_id_hash"u8, pskId, context.Slice(1, HpkeKdf.HashSize));
            HpkeKdf.LabeledExtract(HpkeKdf.HpkeSuiteId, default, "info_hash"u8, info, context.Slice(1 + HpkeKdf.HashSize, HpkeKdf.HashSize));
            HpkeKdf.LabeledExtract(HpkeKdf.HpkeSuiteId, sharedSecret, "secret"u8, psk, secret);
            HpkeKdf.LabeledExpand(HpkeKdf.HpkeSuiteId, secret, "key"u8, context, key);
            HpkeKdf.LabeledExpand(HpkeKdf.HpkeSuiteId, secret, "base_nonce"u8, context, baseNonce);
            HpkeKdf.LabeledExpand(HpkeKdf.HpkeSuiteId, secret, "exp"u8, context, exporterSecret);
            return new HpkeContext(isSender, key, baseNonce, exporterSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(exporterSecret);
        }
    }

    /// <summary>RFC 9180 <c>VerifyPSKInputs</c>.</summary>
    private static void VerifyPskInputs(HpkeMode mode, ReadOnlySpan<byte> psk, ReadOnlySpan<byte> pskId)
    {
        bool gotPsk = !psk.IsEmpty;
        if (gotPsk != !pskId.IsEmpty)
        {
            throw new HpkeException(HpkeError.InconsistentPsk, "A pre-shared key and its id must be given together.");
        }

        bool pskMode = mode is HpkeMode.Psk or HpkeMode.AuthPsk;
        if (gotPsk != pskMode)
        {
            throw new HpkeException(HpkeError.InconsistentPsk, pskMode
                ? $"HPKE mode {mode} needs a pre-shared key and its id."
                : $"HPKE mode {mode} takes no pre-shared key.");
        }
    }

    /// <summary>
    /// The one place where a raw X25519 output leaves NSec: DHKEM's <c>ExtractAndExpand</c> hashes it inside a
    /// labeled extract (<c>"HPKE-v1" || suite_id || "eae_prk" || dh</c>, RFC 9180 §4.1), an input NSec's HKDF cannot
    /// take as a <c>SharedSecret</c>. The caller zeroes <paramref name="shared"/> once the KEM secret is derived.
    /// </summary>
    private static void Agree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> shared, string what)
    {
        if (!X25519.TryAgree(privateKey, publicKey, shared))
        {
            throw new HpkeException(HpkeError.InvalidKey, $"X25519 with {what} gave the all-zero value: the key is a low-order point.");
        }
    }
}
