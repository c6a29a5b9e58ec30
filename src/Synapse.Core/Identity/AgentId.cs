using System.Globalization;
using Synapse.Crypto;

namespace Synapse.Identity;

/// <summary>
/// An agent's identity as others see it: an Ed25519 public key, printed as a <c>did:key</c>
/// (<c>did:key:z6Mk…</c>): the multicodec <c>ed25519-pub</c> prefix (varint <c>0xed 0x01</c>) and the 32-byte
/// key, encoded base58btc (multibase prefix <c>z</c>). This is the form W3C did:key resolvers and DID
/// libraries read, so the id is portable beyond Synapse.
/// </summary>
/// <remarks>
/// <para>Ids compare by key bytes. The default value (<see cref="IsDefault"/>) holds no key: it prints as an
/// empty string and cannot verify.</para>
/// <para>Parsing checks the syntax, the multicodec and the key length; it does not check that the key is a
/// point on the curve (a key that is not simply never verifies a signature).</para>
/// </remarks>
public readonly struct AgentId : IEquatable<AgentId>
{
    /// <summary>Every Ed25519 <c>did:key</c> starts with this.</summary>
    private const string DidKeyPrefix = "did:key:";

    /// <summary>The multicodec varint of <c>ed25519-pub</c> (0xed).</summary>
    private static ReadOnlySpan<byte> Ed25519Multicodec => [0xed, 0x01];

    /// <summary>A bound on the base58 part before decoding; an Ed25519 did:key has 47 characters there.</summary>
    private const int MaxBase58Length = 64;

    private readonly byte[]? _publicKey;
    // The did:key text is made on first use: relays and clients decode many ids they never print.
    private readonly DidText? _text;

    private AgentId(byte[] publicKey, string? text)
    {
        _publicKey = publicKey;
        _text = new DidText(text);
    }

    /// <summary>The 32-byte Ed25519 public key (empty for the default value).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Whether this is the default value, which holds no key.</summary>
    public bool IsDefault => _publicKey is null;

    /// <summary>Creates the id of an Ed25519 public key.</summary>
    /// <param name="ed25519PublicKey">The 32-byte public key.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static AgentId FromPublicKey(ReadOnlySpan<byte> ed25519PublicKey)
    {
        if (ed25519PublicKey.Length != Ed25519.PublicKeySize)
        {
            throw new ArgumentException($"An Ed25519 public key is {Ed25519.PublicKeySize} bytes, not {ed25519PublicKey.Length}.", nameof(ed25519PublicKey));
        }

        return new AgentId(ed25519PublicKey.ToArray(), null);
    }

    /// <summary>Parses a <c>did:key</c> holding an Ed25519 public key.</summary>
    /// <param name="did">The id, e.g. <c>did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp</c>.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="did"/> is null.</exception>
    /// <exception cref="FormatException">The text is not an Ed25519 did:key; the message says why.</exception>
    public static AgentId Parse(string did)
    {
        ArgumentNullException.ThrowIfNull(did);
        return TryParse(did, out AgentId id, out string? error)
            ? id
            : throw new FormatException($"Invalid agent id '{Shorten(did)}': {error}.");
    }

    /// <summary>Parses a <c>did:key</c> holding an Ed25519 public key, without throwing.</summary>
    /// <param name="did">The text to parse.</param>
    /// <param name="id">The id, or the default value on failure.</param>
    /// <param name="error">On failure, why the text is not an Ed25519 did:key; otherwise null.</param>
    /// <returns>Whether the text is a valid id.</returns>
    public static bool TryParse(string? did, out AgentId id, out string? error)
    {
        id = default;
        error = Validate(did, out byte[]? key);
        if (error is not null)
        {
            return false;
        }

        id = new AgentId(key!, did!);
        return true;
    }

    /// <summary>
    /// Verifies an Ed25519 signature by this agent. Malformed signatures give <see langword="false"/>.
    /// </summary>
    /// <param name="message">The signed message.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>Whether the signature is valid.</returns>
    /// <exception cref="InvalidOperationException">This is the default value, which holds no key.</exception>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (_publicKey is null)
        {
            throw new InvalidOperationException("The default AgentId holds no key and cannot verify.");
        }

        return Ed25519.Verify(_publicKey, message, signature);
    }

    /// <summary>The id as a <c>did:key</c> (<c>did:key:z6Mk…</c>); an empty string for the default value.</summary>
    public override string ToString() => _publicKey is null ? string.Empty : _text!.Value ??= Format(_publicKey);

    private static string Format(byte[] key)
    {
        Span<byte> multicodec = stackalloc byte[2 + Ed25519.PublicKeySize];
        Ed25519Multicodec.CopyTo(multicodec);
        key.CopyTo(multicodec[2..]);
        return DidKeyPrefix + "z" + Base58.Encode(multicodec);
    }

    /// <summary>Holds the text once made (a race makes it twice, identically).</summary>
    private sealed class DidText(string? value)
    {
        public string? Value = value;
    }

    /// <inheritdoc />
    public bool Equals(AgentId other) =>
        _publicKey is null ? other._publicKey is null : other._publicKey is not null && _publicKey.AsSpan().SequenceEqual(other._publicKey);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AgentId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (_publicKey is null)
        {
            return 0;
        }

        // Randomised per process, so ids chosen by peers cannot be crafted to collide in a dictionary.
        var hash = default(HashCode);
        hash.AddBytes(_publicKey);
        return hash.ToHashCode();
    }

    /// <summary>Whether two ids hold the same key.</summary>
    public static bool operator ==(AgentId left, AgentId right) => left.Equals(right);

    /// <summary>Whether two ids hold different keys.</summary>
    public static bool operator !=(AgentId left, AgentId right) => !left.Equals(right);

    /// <summary>Returns null when <paramref name="did"/> is a valid Ed25519 did:key, else the reason it is not.</summary>
    private static string? Validate(string? did, out byte[]? key)
    {
        key = null;
        if (did is null)
        {
            return "the id is null";
        }

        if (!did.StartsWith(DidKeyPrefix, StringComparison.Ordinal))
        {
            if (did.StartsWith("did:", StringComparison.Ordinal))
            {
                int end = did.IndexOf(':', 4);
                string method = end < 0 ? did[4..] : did[4..end];
                return $"not a did:key: the DID method is '{Shorten(method, 20)}' (expected 'did:key:')";
            }

            return did.Length == 0 ? "the id is empty" : "not a did:key identifier (expected it to start with 'did:key:')";
        }

        if (did.Length == DidKeyPrefix.Length)
        {
            return "nothing after 'did:key:'";
        }

        char multibase = did[DidKeyPrefix.Length];
        if (multibase != 'z')
        {
            return $"not base58btc: the multibase prefix is {Describe(multibase)}, expected 'z'";
        }

        int start = DidKeyPrefix.Length + 1;
        int url = did.AsSpan(start).IndexOfAny('#', '?', '/');
        if (url >= 0)
        {
            return $"{Describe(did[start + url])} at index {start + url}: a DID URL (path, query or fragment) is not an agent id";
        }

        ReadOnlySpan<char> base58 = did.AsSpan(start);
        if (base58.IsEmpty)
        {
            return "no key after the multibase prefix 'z'";
        }

        if (base58.Length > MaxBase58Length)
        {
            return $"too long: {base58.Length} base58 characters (an Ed25519 did:key has 47)";
        }

        if (!Base58.TryDecode(base58, out byte[] decoded, out int invalid))
        {
            return $"invalid base58 character {Describe(base58[invalid])} at index {start + invalid} (base58 has no 0, O, I or l)";
        }

        if (!decoded.AsSpan().StartsWith(Ed25519Multicodec))
        {
            return $"wrong multicodec: {DescribeMulticodec(decoded)}, expected 0xed (ed25519-pub)";
        }

        int keyLength = decoded.Length - Ed25519Multicodec.Length;
        if (keyLength != Ed25519.PublicKeySize)
        {
            return $"wrong key length: {keyLength} bytes after the ed25519-pub prefix, expected {Ed25519.PublicKeySize}";
        }

        key = decoded[Ed25519Multicodec.Length..];
        return null;
    }

    /// <summary>Names the multicodec varint at the start of <paramref name="bytes"/>.</summary>
    private static string DescribeMulticodec(ReadOnlySpan<byte> bytes)
    {
        ulong code = 0;
        int shift = 0;
        for (int i = 0; i < bytes.Length && i < 4; i++)
        {
            code |= (ulong)(bytes[i] & 0x7f) << shift;
            shift += 7;
            if ((bytes[i] & 0x80) == 0)
            {
                string name = code switch
                {
                    0xe7 => " (secp256k1-pub)",
                    0xeb => " (bls12_381-g2-pub)",
                    0xec => " (x25519-pub)",
                    0x1200 => " (p256-pub)",
                    0x1201 => " (p384-pub)",
                    0x1202 => " (p521-pub)",
                    0x1205 => " (rsa-pub)",
                    0x1300 => " (ed25519-priv)",
                    _ => string.Empty,
                };
                return string.Create(CultureInfo.InvariantCulture, $"0x{code:x}{name}");
            }
        }

        return "not a valid varint";
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || c > '~'
            ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")
            : $"'{c}'";

    private static string Shorten(string text, int max = 80) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
