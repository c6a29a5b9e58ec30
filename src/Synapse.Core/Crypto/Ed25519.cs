using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Synapse.Crypto.Native;

namespace Synapse.Crypto;

/// <summary>
/// Ed25519 signatures (RFC 8032, pure EdDSA) through OpenSSL's libcrypto. Private keys are 32-byte seeds.
/// Verification is OpenSSL's: it rejects non-canonical <c>S</c> (≥ L) and signatures whose <c>R</c> does not
/// match the recomputed encoding, as the Wycheproof vectors demand.
/// </summary>
public static class Ed25519
{
    /// <summary>The size of a private key seed.</summary>
    public const int SeedSize = 32;

    /// <summary>The size of an encoded public key.</summary>
    public const int PublicKeySize = 32;

    /// <summary>The size of a signature.</summary>
    public const int SignatureSize = 64;

    /// <summary>Generates a random seed and its public key.</summary>
    /// <param name="seed">Receives the 32-byte seed (exactly <see cref="SeedSize"/> bytes).</param>
    /// <param name="publicKey">Receives the 32-byte public key (exactly <see cref="PublicKeySize"/> bytes).</param>
    public static void GenerateKeyPair(Span<byte> seed, Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(seed, SeedSize, nameof(seed));
        CryptoArgs.RequireLength(publicKey, PublicKeySize, nameof(publicKey));
        RandomNumberGenerator.Fill(seed);
        DerivePublicKey(seed, publicKey);
    }

    /// <summary>Computes the public key of a seed.</summary>
    /// <param name="seed">The 32-byte seed.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    public static void DerivePublicKey(ReadOnlySpan<byte> seed, Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(seed, SeedSize, nameof(seed));
        CryptoArgs.RequireLength(publicKey, PublicKeySize, nameof(publicKey));
        OpenSslKeys.DerivePublicKey(LibCrypto.EVP_PKEY_ED25519, seed, publicKey);
    }

    /// <summary>Signs <paramref name="message"/> with the key of <paramref name="seed"/>.</summary>
    /// <param name="seed">The 32-byte seed.</param>
    /// <param name="message">The message (any length).</param>
    /// <param name="signature">Receives the 64-byte signature (exactly <see cref="SignatureSize"/> bytes).</param>
    public static void Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CryptoArgs.RequireLength(seed, SeedSize, nameof(seed));
        CryptoArgs.RequireLength(signature, SignatureSize, nameof(signature));
        IntPtr pkey = OpenSslKeys.NewPrivateKey(LibCrypto.EVP_PKEY_ED25519, seed);
        try
        {
            SignCore(pkey, message, signature);
        }
        finally
        {
            LibCrypto.EVP_PKEY_free(pkey);
        }
    }

    /// <summary>
    /// Verifies a signature. Never throws on malformed input: a public key or signature of the wrong length,
    /// a public key that is not a curve point, or a non-canonical encoding all give <see langword="false"/>.
    /// </summary>
    /// <param name="publicKey">The 32-byte public key.</param>
    /// <param name="message">The signed message.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>Whether the signature is valid for the message under the key.</returns>
    public static unsafe bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        LibCrypto.EnsureAvailable();
        IntPtr pkey;
        fixed (byte* key = publicKey)
        {
            pkey = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.EVP_PKEY_ED25519, IntPtr.Zero, key, PublicKeySize);
        }

        if (pkey == IntPtr.Zero)
        {
            LibCrypto.ERR_clear_error();
            return false;
        }

        IntPtr ctx = IntPtr.Zero;
        try
        {
            ctx = LibCrypto.EVP_MD_CTX_new();
            if (ctx == IntPtr.Zero)
            {
                throw OpenSslKeys.Failure("EVP_MD_CTX_new");
            }

            if (LibCrypto.EVP_DigestVerifyInit(ctx, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, pkey) != 1)
            {
                LibCrypto.ERR_clear_error();
                return false;
            }

            byte empty = 0;
            fixed (byte* sig = signature)
            fixed (byte* msg = message)
            {
                int result = LibCrypto.EVP_DigestVerify(ctx, sig, SignatureSize, message.IsEmpty ? &empty : msg, (nuint)message.Length);
                if (result != 1)
                {
                    LibCrypto.ERR_clear_error();
                    return false;
                }

                return true;
            }
        }
        finally
        {
            LibCrypto.EVP_MD_CTX_free(ctx);
            LibCrypto.EVP_PKEY_free(pkey);
        }
    }

    /// <summary>Signs with an existing OpenSSL Ed25519 private key.</summary>
    internal static unsafe void SignCore(IntPtr pkey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        IntPtr ctx = LibCrypto.EVP_MD_CTX_new();
        if (ctx == IntPtr.Zero)
        {
            throw OpenSslKeys.Failure("EVP_MD_CTX_new");
        }

        try
        {
            if (LibCrypto.EVP_DigestSignInit(ctx, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, pkey) != 1)
            {
                throw OpenSslKeys.Failure("EVP_DigestSignInit");
            }

            byte empty = 0;
            nuint length = SignatureSize;
            fixed (byte* sig = signature)
            fixed (byte* msg = message)
            {
                if (LibCrypto.EVP_DigestSign(ctx, sig, &length, message.IsEmpty ? &empty : msg, (nuint)message.Length) != 1 || length != SignatureSize)
                {
                    throw OpenSslKeys.Failure("EVP_DigestSign");
                }
            }
        }
        finally
        {
            LibCrypto.EVP_MD_CTX_free(ctx);
        }
    }
}

/// <summary>
/// An Ed25519 private key held by OpenSSL, for signing many messages without re-deriving the key each time.
/// OpenSSL clears the key when it is freed (on dispose or finalization).
/// </summary>
internal sealed class Ed25519SigningKey : OpenSslPrivateKey
{
    private Ed25519SigningKey(IntPtr pkey)
        : base(pkey)
    {
    }

    /// <inheritdoc />
    protected override int PublicKeySize => Ed25519.PublicKeySize;

    /// <summary>Creates the key from a 32-byte seed.</summary>
    public static Ed25519SigningKey Create(ReadOnlySpan<byte> seed)
    {
        CryptoArgs.RequireLength(seed, Ed25519.SeedSize, nameof(seed));
        return new Ed25519SigningKey(OpenSslKeys.NewPrivateKey(LibCrypto.EVP_PKEY_ED25519, seed));
    }

    /// <summary>Signs <paramref name="message"/> into the 64-byte <paramref name="signature"/>.</summary>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CryptoArgs.RequireLength(signature, Ed25519.SignatureSize, nameof(signature));
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
            Ed25519.SignCore(handle, message, signature);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }
}
