namespace Synapse.Testing.Crypto;

/// <summary>
/// Ed25519 and X25519 as Synapse computed them through OpenSSL's libcrypto before the move to NSec: the reference
/// the differential tests (and the benchmarks' <c>crypto-harness</c>) compare NSec with. Same contracts as
/// <see cref="Synapse.Crypto.Ed25519"/> and <see cref="Synapse.Crypto.X25519"/>.
/// </summary>
internal static unsafe class OpenSsl25519
{
    private const int KeySize = 32;
    private const int SignatureSize = 64;

    /// <summary>The Ed25519 public key of a 32-byte seed.</summary>
    public static void Ed25519PublicKey(ReadOnlySpan<byte> seed, Span<byte> publicKey) => DerivePublicKey(LibCrypto.EVP_PKEY_ED25519, seed, publicKey);

    /// <summary>The X25519 public key of a 32-byte private key.</summary>
    public static void X25519PublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey) => DerivePublicKey(LibCrypto.EVP_PKEY_X25519, privateKey, publicKey);

    /// <summary>Signs <paramref name="message"/> with the key of <paramref name="seed"/>.</summary>
    public static void Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        Require(seed.Length == KeySize && signature.Length == SignatureSize);
        IntPtr pkey = NewPrivateKey(LibCrypto.EVP_PKEY_ED25519, seed);
        IntPtr ctx = LibCrypto.EVP_MD_CTX_new();
        try
        {
            byte empty = 0;
            nuint length = SignatureSize;
            fixed (byte* sig = signature)
            fixed (byte* msg = message)
            {
                if (ctx == IntPtr.Zero
                    || LibCrypto.EVP_DigestSignInit(ctx, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, pkey) != 1
                    || LibCrypto.EVP_DigestSign(ctx, sig, &length, message.IsEmpty ? &empty : msg, (nuint)message.Length) != 1
                    || length != SignatureSize)
                {
                    throw Failure("EVP_DigestSign");
                }
            }
        }
        finally
        {
            LibCrypto.EVP_MD_CTX_free(ctx);
            LibCrypto.EVP_PKEY_free(pkey);
        }
    }

    /// <summary>Verifies a signature; false (never an exception) for anything malformed.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != KeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        LibCrypto.EnsureAvailable();
        IntPtr pkey;
        fixed (byte* key = publicKey)
        {
            pkey = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.EVP_PKEY_ED25519, IntPtr.Zero, key, KeySize);
        }

        if (pkey == IntPtr.Zero)
        {
            LibCrypto.ERR_clear_error();
            return false;
        }

        IntPtr ctx = LibCrypto.EVP_MD_CTX_new();
        try
        {
            if (ctx == IntPtr.Zero || LibCrypto.EVP_DigestVerifyInit(ctx, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, pkey) != 1)
            {
                LibCrypto.ERR_clear_error();
                return false;
            }

            byte empty = 0;
            fixed (byte* sig = signature)
            fixed (byte* msg = message)
            {
                if (LibCrypto.EVP_DigestVerify(ctx, sig, SignatureSize, message.IsEmpty ? &empty : msg, (nuint)message.Length) != 1)
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

    /// <summary>X25519; false (output zeroed) when the shared secret is all zeros (OpenSSL fails the derivation).</summary>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        Require(privateKey.Length == KeySize && peerPublicKey.Length == KeySize && sharedSecret.Length == KeySize);
        IntPtr pkey = NewPrivateKey(LibCrypto.EVP_PKEY_X25519, privateKey);
        IntPtr peer = IntPtr.Zero;
        IntPtr ctx = IntPtr.Zero;
        try
        {
            fixed (byte* key = peerPublicKey)
            {
                peer = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.EVP_PKEY_X25519, IntPtr.Zero, key, KeySize);
            }

            ctx = peer == IntPtr.Zero ? IntPtr.Zero : LibCrypto.EVP_PKEY_CTX_new(pkey, IntPtr.Zero);
            if (ctx == IntPtr.Zero || LibCrypto.EVP_PKEY_derive_init(ctx) != 1 || LibCrypto.EVP_PKEY_derive_set_peer(ctx, peer) != 1)
            {
                throw Failure("EVP_PKEY_derive_init");
            }

            nuint length = KeySize;
            int derived;
            fixed (byte* secret = sharedSecret)
            {
                derived = LibCrypto.EVP_PKEY_derive(ctx, secret, &length);
            }

            if (derived != 1 || length != KeySize || !sharedSecret.ContainsAnyExcept((byte)0))
            {
                LibCrypto.ERR_clear_error();
                sharedSecret.Clear();
                return false;
            }

            return true;
        }
        finally
        {
            LibCrypto.EVP_PKEY_CTX_free(ctx);
            LibCrypto.EVP_PKEY_free(peer);
            LibCrypto.EVP_PKEY_free(pkey);
        }
    }

    private static IntPtr NewPrivateKey(int type, ReadOnlySpan<byte> privateKey)
    {
        LibCrypto.EnsureAvailable();
        fixed (byte* key = privateKey)
        {
            IntPtr pkey = LibCrypto.EVP_PKEY_new_raw_private_key(type, IntPtr.Zero, key, (nuint)privateKey.Length);
            return pkey != IntPtr.Zero ? pkey : throw Failure("EVP_PKEY_new_raw_private_key");
        }
    }

    private static void DerivePublicKey(int type, ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        Require(privateKey.Length == KeySize && publicKey.Length == KeySize);
        IntPtr pkey = NewPrivateKey(type, privateKey);
        try
        {
            nuint length = KeySize;
            fixed (byte* destination = publicKey)
            {
                if (LibCrypto.EVP_PKEY_get_raw_public_key(pkey, destination, &length) != 1 || length != KeySize)
                {
                    throw Failure("EVP_PKEY_get_raw_public_key");
                }
            }
        }
        finally
        {
            LibCrypto.EVP_PKEY_free(pkey);
        }
    }

    private static void Require(bool lengthsOk)
    {
        if (!lengthsOk)
        {
            throw new ArgumentException("Keys are 32 bytes and signatures 64.");
        }
    }

    private static InvalidOperationException Failure(string function)
    {
        LibCrypto.ERR_clear_error();
        return new InvalidOperationException($"OpenSSL {function} failed unexpectedly ({LibCrypto.LibraryFile}).");
    }
}
