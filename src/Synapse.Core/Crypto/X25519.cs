using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Synapse.Crypto.Native;

namespace Synapse.Crypto;

/// <summary>
/// X25519 key agreement (RFC 7748) through OpenSSL's libcrypto. Private keys are 32 random bytes (clamped by
/// the function, as RFC 7748 specifies); public keys are 32-byte u-coordinates.
/// </summary>
public static class X25519
{
    /// <summary>The size of private keys, public keys and shared secrets.</summary>
    public const int KeySize = 32;

    /// <summary>Generates a random private key and its public key.</summary>
    /// <param name="privateKey">Receives the 32-byte private key.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    public static void GenerateKeyPair(Span<byte> privateKey, Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(privateKey, KeySize, nameof(privateKey));
        CryptoArgs.RequireLength(publicKey, KeySize, nameof(publicKey));
        RandomNumberGenerator.Fill(privateKey);
        DerivePublicKey(privateKey, publicKey);
    }

    /// <summary>Computes the public key of a private key (X25519 with the base point 9).</summary>
    /// <param name="privateKey">The 32-byte private key.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    public static void DerivePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(privateKey, KeySize, nameof(privateKey));
        CryptoArgs.RequireLength(publicKey, KeySize, nameof(publicKey));
        OpenSslKeys.DerivePublicKey(LibCrypto.EVP_PKEY_X25519, privateKey, publicKey);
    }

    /// <summary>
    /// Computes the shared secret X25519(<paramref name="privateKey"/>, <paramref name="peerPublicKey"/>).
    /// Returns <see langword="false"/> (and zeroes <paramref name="sharedSecret"/>) when the result is all
    /// zeros, which happens exactly when the peer key is of low order: callers must then reject the peer
    /// (RFC 7748 §6.1, Noise §12.1 and RFC 9180 §7.1.4 all allow or require this check). Any other 32-byte
    /// peer key is accepted; the top bit is ignored and non-canonical u-coordinates are reduced mod p, as
    /// RFC 7748 specifies.
    /// </summary>
    /// <param name="privateKey">The 32-byte private key.</param>
    /// <param name="peerPublicKey">The peer's 32-byte public key.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    /// <returns><see langword="false"/> when the shared secret is all zeros.</returns>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        CryptoArgs.RequireLength(privateKey, KeySize, nameof(privateKey));
        CryptoArgs.RequireLength(peerPublicKey, KeySize, nameof(peerPublicKey));
        CryptoArgs.RequireLength(sharedSecret, KeySize, nameof(sharedSecret));

        IntPtr pkey = OpenSslKeys.NewPrivateKey(LibCrypto.EVP_PKEY_X25519, privateKey);
        try
        {
            return TryAgreeCore(pkey, peerPublicKey, sharedSecret);
        }
        finally
        {
            LibCrypto.EVP_PKEY_free(pkey);
        }
    }

    /// <summary>Key agreement with an existing OpenSSL X25519 private key; lengths already checked.</summary>
    internal static unsafe bool TryAgreeCore(IntPtr pkey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        IntPtr peer = IntPtr.Zero;
        IntPtr ctx = IntPtr.Zero;
        try
        {
            fixed (byte* key = peerPublicKey)
            {
                peer = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.EVP_PKEY_X25519, IntPtr.Zero, key, KeySize);
            }

            if (peer == IntPtr.Zero)
            {
                throw OpenSslKeys.Failure("EVP_PKEY_new_raw_public_key");
            }

            ctx = LibCrypto.EVP_PKEY_CTX_new(pkey, IntPtr.Zero);
            if (ctx == IntPtr.Zero)
            {
                throw OpenSslKeys.Failure("EVP_PKEY_CTX_new");
            }

            if (LibCrypto.EVP_PKEY_derive_init(ctx) != 1)
            {
                throw OpenSslKeys.Failure("EVP_PKEY_derive_init");
            }

            if (LibCrypto.EVP_PKEY_derive_set_peer(ctx, peer) != 1)
            {
                throw OpenSslKeys.Failure("EVP_PKEY_derive_set_peer");
            }

            nuint length = KeySize;
            int derived;
            fixed (byte* secret = sharedSecret)
            {
                derived = LibCrypto.EVP_PKEY_derive(ctx, secret, &length);
            }

            // OpenSSL (1.1.1 and 3.x) fails the derivation itself when the result is all zeros; the explicit
            // check below keeps the contract even if a build did not.
            if (derived != 1 || length != KeySize || IsAllZero(sharedSecret))
            {
                LibCrypto.ERR_clear_error();
                CryptographicOperations.ZeroMemory(sharedSecret);
                return false;
            }

            return true;
        }
        finally
        {
            LibCrypto.EVP_PKEY_CTX_free(ctx);
            LibCrypto.EVP_PKEY_free(peer);
        }
    }

    /// <summary>Constant-time test for an all-zero buffer.</summary>
    private static bool IsAllZero(ReadOnlySpan<byte> bytes)
    {
        int acc = 0;
        foreach (byte b in bytes)
        {
            acc |= b;
        }

        return acc == 0;
    }
}

/// <summary>
/// An X25519 private key held by OpenSSL, for a key used in many agreements (a Noise static key, an HPKE
/// recipient key): creating an OpenSSL key from raw bytes computes its public key, so reusing the object halves
/// the cost of each agreement. OpenSSL clears the key when it is freed (on dispose or finalization).
/// </summary>
internal sealed class X25519PrivateKey : OpenSslPrivateKey
{
    private X25519PrivateKey(IntPtr pkey)
        : base(pkey)
    {
    }

    /// <inheritdoc />
    protected override int PublicKeySize => X25519.KeySize;

    /// <summary>Creates the key from 32 private key bytes (the caller may zero its copy afterwards).</summary>
    public static X25519PrivateKey Create(ReadOnlySpan<byte> privateKey)
    {
        CryptoArgs.RequireLength(privateKey, X25519.KeySize, nameof(privateKey));
        return new X25519PrivateKey(OpenSslKeys.NewPrivateKey(LibCrypto.EVP_PKEY_X25519, privateKey));
    }

    /// <summary>As <see cref="X25519.TryAgree"/>: false (output zeroed) when the shared secret is all zeros.</summary>
    public bool TryAgree(ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        CryptoArgs.RequireLength(peerPublicKey, X25519.KeySize, nameof(peerPublicKey));
        CryptoArgs.RequireLength(sharedSecret, X25519.KeySize, nameof(sharedSecret));
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
            return X25519.TryAgreeCore(handle, peerPublicKey, sharedSecret);
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
