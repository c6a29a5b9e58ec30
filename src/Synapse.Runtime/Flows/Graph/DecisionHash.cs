using System.Security.Cryptography;

namespace Synapse.Flows.Graph;

/// <summary>
/// A 32-byte SHA-256 hash naming a decision record (see <see cref="DecisionRecord.Hash"/>), printed as 64 lowercase
/// hex digits. Immutable; compares by value.
/// </summary>
public readonly struct DecisionHash : IEquatable<DecisionHash>
{
    /// <summary>The size of a hash in bytes.</summary>
    public const int Size = 32;

    private readonly byte[]? _bytes;

    private DecisionHash(byte[] bytes) => _bytes = bytes;

    /// <summary>All zeros: the <see cref="DecisionRecord.Previous"/> of an agent's first record.</summary>
    public static DecisionHash Zero { get; } = new(new byte[Size]);

    /// <summary>The 32 bytes (all zeros for the default value).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? Zero._bytes;

    /// <summary>The 32 bytes as read-only memory (no copy), e.g. for <see cref="Synapse.Flows.IFlowRecorder.LatestHash"/>.</summary>
    public ReadOnlyMemory<byte> AsMemory() => _bytes ?? Zero._bytes;

    /// <summary>Whether every byte is zero.</summary>
    public bool IsZero => !Bytes.ContainsAnyExcept((byte)0);

    /// <summary>Creates a hash from its 32 bytes (copied).</summary>
    /// <param name="bytes">The hash.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public static DecisionHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A decision hash is {Size} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new DecisionHash(bytes.ToArray());
    }

    /// <summary>The SHA-256 of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to hash.</param>
    /// <returns>The hash.</returns>
    public static DecisionHash Compute(ReadOnlySpan<byte> data) => new(SHA256.HashData(data));

    /// <summary>Parses 64 hex digits (either case).</summary>
    /// <param name="hex">The text.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static DecisionHash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryParse(hex, out DecisionHash hash)
            ? hash
            : throw new FormatException($"A decision hash is {Size * 2} hex digits; got '{(hex.Length > 80 ? hex[..80] + "…" : hex)}'.");
    }

    /// <summary>Parses 64 hex digits (either case), without throwing.</summary>
    /// <param name="hex">The text.</param>
    /// <param name="hash">The hash, or the default value on failure.</param>
    /// <returns>Whether the text was 64 hex digits.</returns>
    public static bool TryParse(string? hex, out DecisionHash hash)
    {
        hash = default;
        if (hex is not { Length: Size * 2 })
        {
            return false;
        }

        var bytes = new byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        hash = new DecisionHash(bytes);
        return true;
    }

    /// <summary>The hash as 64 lowercase hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <inheritdoc />
    public bool Equals(DecisionHash other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DecisionHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Randomised per process, so hashes chosen by peers cannot be crafted to collide in a dictionary.
        var hash = default(HashCode);
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>Whether two hashes are equal.</summary>
    public static bool operator ==(DecisionHash left, DecisionHash right) => left.Equals(right);

    /// <summary>Whether two hashes differ.</summary>
    public static bool operator !=(DecisionHash left, DecisionHash right) => !left.Equals(right);
}
