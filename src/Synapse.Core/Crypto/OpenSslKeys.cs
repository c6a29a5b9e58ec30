using System.Runtime.InteropServices;
using Synapse.Crypto.Native;

namespace Synapse.Crypto;

/// <summary>Shared plumbing for raw 25519 keys held by OpenSSL.</summary>
internal static class OpenSslKeys
{
    /// <summary>Creates an <c>EVP_PKEY</c> from a raw 32-byte private key; the caller frees it.</summary>
    public static unsafe IntPtr NewPrivateKey(int type, ReadOnlySpan<byte> privateKey)
    {
        LibCrypto.EnsureAvailable();
        IntPtr pkey;
        fixed (byte* key = privateKey)
        {
            pkey = LibCrypto.EVP_PKEY_new_raw_private_key(type, IntPtr.Zero, key, (nuint)privateKey.Length);
        }

        return pkey != IntPtr.Zero ? pkey : throw Failure("EVP_PKEY_new_raw_private_key");
    }

    /// <summary>Writes the raw 32-byte public key of an <c>EVP_PKEY</c>.</summary>
    public static unsafe void GetRawPublicKey(IntPtr pkey, Span<byte> publicKey)
    {
        nuint length = (nuint)publicKey.Length;
        fixed (byte* destination = publicKey)
        {
            if (LibCrypto.EVP_PKEY_get_raw_public_key(pkey, destination, &length) != 1 || length != (nuint)publicKey.Length)
            {
                throw Failure("EVP_PKEY_get_raw_public_key");
            }
        }
    }

    /// <summary>An unexpected OpenSSL failure (not a verdict on the input); clears the error queue.</summary>
    /// <summary>Computes the raw public key of a raw private key of <paramref name="type"/>.</summary>
    public static void DerivePublicKey(int type, ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        IntPtr pkey = NewPrivateKey(type, privateKey);
        try
        {
            GetRawPublicKey(pkey, publicKey);
        }
        finally
        {
            LibCrypto.EVP_PKEY_free(pkey);
        }
    }

    public static CryptoBackendException Failure(string function)
    {
        LibCrypto.ERR_clear_error();
        return new CryptoBackendException($"OpenSSL {function} failed unexpectedly ({LibCrypto.LibraryFile}).");
    }
}

/// <summary>Argument checks shared by the crypto primitives.</summary>
internal static class CryptoArgs
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="span"/> is exactly <paramref name="length"/> bytes.</summary>
    public static void RequireLength(ReadOnlySpan<byte> span, int length, string name)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"Must be exactly {length} bytes, not {span.Length}.", name);
        }
    }
}

/// <summary>An <c>EVP_PKEY</c> private key owned by OpenSSL, freed (and cleared by OpenSSL) on dispose or finalization.</summary>
internal abstract class OpenSslPrivateKey : SafeHandle
{
    protected OpenSslPrivateKey(IntPtr pkey)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(pkey);

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The size of the raw public key.</summary>
    protected abstract int PublicKeySize { get; }

    /// <summary>Writes the raw public key.</summary>
    public void GetPublicKey(Span<byte> publicKey)
    {
        CryptoArgs.RequireLength(publicKey, PublicKeySize, nameof(publicKey));
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
            OpenSslKeys.GetRawPublicKey(handle, publicKey);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_free(handle);
        return true;
    }
}
