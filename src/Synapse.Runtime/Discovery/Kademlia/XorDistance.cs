using System.Numerics;
using Synapse.Crypto;
using Synapse.Identity;

namespace Synapse.Discovery.Kademlia;

/// <summary>
/// The Kademlia distance between two agent ids: the XOR of their 32-byte Ed25519 public keys, read as a 256-bit
/// big-endian unsigned number. It is zero only between an id and itself, symmetric, and for a given target no two
/// distinct ids are at the same distance, so "the closest id" is always one id.
/// </summary>
public readonly struct XorDistance : IComparable<XorDistance>, IEquatable<XorDistance>
{
    /// <summary>The number of bits in an id (and in a distance).</summary>
    public const int Bits = Ed25519.PublicKeySize * 8;

    private readonly byte[]? _bytes;

    private XorDistance(byte[] bytes) => _bytes = bytes;

    /// <summary>The distance as 32 big-endian bytes (empty for the default value).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>
    /// The number of leading bits the two ids share: 0 when their first bits differ, <see cref="Bits"/> when they
    /// are the same id. A routing table keeps a peer in the bucket of this number.
    /// </summary>
    public int CommonPrefixLength
    {
        get
        {
            ReadOnlySpan<byte> bytes = _bytes;
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] != 0)
                {
                    return (i * 8) + BitOperations.LeadingZeroCount((uint)bytes[i]) - 24;
                }
            }

            return Bits;
        }
    }

    /// <summary>The distance between two ids.</summary>
    /// <param name="a">One id.</param>
    /// <param name="b">The other.</param>
    /// <returns>Their XOR distance.</returns>
    /// <exception cref="ArgumentException">Either id is the default value.</exception>
    public static XorDistance Between(AgentId a, AgentId b)
    {
        if (a.IsDefault || b.IsDefault)
        {
            throw new ArgumentException("The default AgentId has no key to measure a distance from.");
        }

        ReadOnlySpan<byte> x = a.PublicKey;
        ReadOnlySpan<byte> y = b.PublicKey;
        byte[] distance = new byte[Ed25519.PublicKeySize];
        for (int i = 0; i < distance.Length; i++)
        {
            distance[i] = (byte)(x[i] ^ y[i]);
        }

        return new XorDistance(distance);
    }

    /// <summary>Which of two ids is closer to <paramref name="target"/>: negative when <paramref name="a"/> is,
    /// positive when <paramref name="b"/> is, zero only when they are the same id.</summary>
    /// <param name="target">The id distances are measured from.</param>
    /// <param name="a">One candidate.</param>
    /// <param name="b">The other.</param>
    /// <returns>The comparison.</returns>
    public static int CompareDistance(AgentId target, AgentId a, AgentId b)
    {
        ReadOnlySpan<byte> t = target.PublicKey;
        ReadOnlySpan<byte> x = a.PublicKey;
        ReadOnlySpan<byte> y = b.PublicKey;
        if (t.Length != Ed25519.PublicKeySize || x.Length != t.Length || y.Length != t.Length)
        {
            throw new ArgumentException("The default AgentId has no key to measure a distance from.");
        }

        for (int i = 0; i < t.Length; i++)
        {
            int dx = x[i] ^ t[i];
            int dy = y[i] ^ t[i];
            if (dx != dy)
            {
                return dx < dy ? -1 : 1;
            }
        }

        return 0;
    }

    /// <inheritdoc />
    public int CompareTo(XorDistance other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <inheritdoc />
    public bool Equals(XorDistance other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is XorDistance other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => Convert.ToHexString(Bytes);

    /// <summary>Whether two distances are equal.</summary>
    public static bool operator ==(XorDistance left, XorDistance right) => left.Equals(right);

    /// <summary>Whether two distances differ.</summary>
    public static bool operator !=(XorDistance left, XorDistance right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> is the shorter distance.</summary>
    public static bool operator <(XorDistance left, XorDistance right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is the longer distance.</summary>
    public static bool operator >(XorDistance left, XorDistance right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is not longer.</summary>
    public static bool operator <=(XorDistance left, XorDistance right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is not shorter.</summary>
    public static bool operator >=(XorDistance left, XorDistance right) => left.CompareTo(right) >= 0;
}
