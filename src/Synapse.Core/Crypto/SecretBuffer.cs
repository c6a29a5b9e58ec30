using System.Security.Cryptography;

namespace Synapse.Crypto;

/// <summary>
/// A fixed-size buffer for secret bytes (private keys, seeds, symmetric keys): allocated on the pinned object
/// heap so the GC never leaves copies behind when compacting, and zeroed on <see cref="Dispose"/> (and, as a
/// last resort, by the finalizer).
/// </summary>
internal sealed class SecretBuffer : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    /// <summary>Allocates a zero-filled pinned buffer of <paramref name="length"/> bytes.</summary>
    public SecretBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _bytes = GC.AllocateArray<byte>(length, pinned: true);
    }

    /// <summary>Zeroes the buffer if its owner forgot to dispose it.</summary>
    ~SecretBuffer() => CryptographicOperations.ZeroMemory(_bytes);

    /// <summary>The buffer's length in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The secret bytes. Throws once disposed.</summary>
    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    /// <summary>The underlying array, for tests that check zeroing after dispose.</summary>
    internal byte[] ArrayForTests => _bytes;

    /// <summary>Zeroes the bytes. Idempotent.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_bytes);
        _disposed = true;
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"SecretBuffer({_bytes.Length} bytes)";
}
