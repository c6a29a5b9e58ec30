using Synapse.Crypto;
using Synapse.Identity;

namespace Synapse.Tests.Identity;

public class AgentIdTests
{
    /// <summary>
    /// The W3C CCG did:key test vectors (w3c-ccg/did-method-key, test-vectors/ed25519-x25519.json): an Ed25519
    /// seed, the base58 public key and the did:key.
    /// </summary>
    public static TheoryData<string, string, string> DidKeyVectors => new()
    {
        { "0000000000000000000000000000000000000000000000000000000000000000", "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS", "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp" },
        { "0000000000000000000000000000000000000000000000000000000000000001", "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt", "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG" },
        { "0000000000000000000000000000000000000000000000000000000000000002", "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH", "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf" },
        { "0000000000000000000000000000000000000000000000000000000000000003", "HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2", "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ" },
        { "0000000000000000000000000000000000000000000000000000000000000004", "J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x", "did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL" },
    };

    [Theory]
    [MemberData(nameof(DidKeyVectors))]
    public void Known_did_key_vectors(string seedHex, string publicKeyBase58, string did)
    {
        byte[] seed = Convert.FromHexString(seedHex);
        var publicKey = new byte[32];
        Ed25519.DerivePublicKey(seed, publicKey);
        Assert.Equal(publicKeyBase58, Base58.Encode(publicKey));

        AgentId id = AgentId.FromPublicKey(publicKey);
        Assert.Equal(did, id.ToString());
        Assert.Equal(id, AgentId.Parse(did));
        Assert.Equal(publicKey, AgentId.Parse(did).PublicKey.ToArray());

        using AgentIdentity identity = AgentIdentity.FromSeed(seed);
        Assert.Equal(did, identity.Id.ToString());
    }

    [Fact]
    public void Printed_ids_are_did_key_with_the_ed25519_pub_multicodec()
    {
        for (int i = 0; i < 50; i++)
        {
            var seed = new byte[32];
            var publicKey = new byte[32];
            Ed25519.GenerateKeyPair(seed, publicKey);
            string text = AgentId.FromPublicKey(publicKey).ToString();

            Assert.StartsWith("did:key:z6Mk", text, StringComparison.Ordinal);
            Assert.Equal(56, text.Length);
            Assert.True(Base58.TryDecode(text.AsSpan("did:key:z".Length), out byte[] decoded, out _));
            Assert.Equal(34, decoded.Length);
            Assert.Equal(0xed, decoded[0]);
            Assert.Equal(0x01, decoded[1]);
            Assert.Equal(publicKey, decoded[2..]);

            AgentId parsed = AgentId.Parse(text);
            Assert.Equal(text, parsed.ToString());
            Assert.Equal(publicKey, parsed.PublicKey.ToArray());
        }
    }

    [Theory]
    [InlineData("", "the id is empty")]
    [InlineData("z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "not a did:key identifier")]
    [InlineData("did:web:example.com", "the DID method is 'web'")]
    [InlineData("DID:KEY:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "not a did:key identifier")]
    [InlineData("did:key:", "nothing after 'did:key:'")]
    [InlineData("did:key:z", "no key after the multibase prefix 'z'")]
    [InlineData("did:key:f6d6b6579", "not base58btc: the multibase prefix is 'f', expected 'z'")]
    [InlineData("did:key:u7QHt", "not base58btc")]
    [InlineData("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW0", "invalid base58 character '0' at index 55")]
    [InlineData("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWl", "invalid base58 character 'l' at index 55")]
    [InlineData("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8 quG5GLVVQR3djdX3mDooWp", "invalid base58 character U+0020 at index 34")]
    [InlineData("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "'#' at index 56: a DID URL")]
    [InlineData("did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW", "wrong multicodec: 0xec (x25519-pub), expected 0xed (ed25519-pub)")]
    [InlineData("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "wrong multicodec: 0xe7 (secp256k1-pub)")]
    [InlineData("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", "wrong multicodec: 0x1200 (p256-pub)")]
    [InlineData("did:key:z2DQVsnzKoPrzWGGeSt3PXeA8HH4gfaP66XgS4nugS6VH3P", "wrong key length: 31 bytes after the ed25519-pub prefix, expected 32")]
    [InlineData("did:key:zQebwxbUfKbDPuAUmUde1kQpEDcqfXph2kNM8d9ABdCBXaJaT", "wrong key length: 33 bytes")]
    [InlineData("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW", "wrong multicodec: 0x4")]
    [InlineData("did:key:z1", "wrong multicodec")]
    [InlineData("did:key:z111111111111111111111111111111111111111111111111111111111111111111111111", "too long: 72 base58 characters (an Ed25519 did:key has 47)")]
    public void Invalid_ids_are_rejected_with_the_reason(string did, string reason)
    {
        Assert.False(AgentId.TryParse(did, out AgentId id, out string? error));
        Assert.True(id.IsDefault);
        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);

        FormatException e = Assert.Throws<FormatException>(() => AgentId.Parse(did));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Invalid agent id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_is_rejected()
    {
        Assert.False(AgentId.TryParse(null, out _, out string? error));
        Assert.Equal("the id is null", error);
        Assert.Throws<ArgumentNullException>(() => AgentId.Parse(null!));
    }

    [Fact]
    public void Valid_parses_report_no_error()
    {
        Assert.True(AgentId.TryParse("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", out AgentId id, out string? error));
        Assert.Null(error);
        Assert.False(id.IsDefault);
    }

    [Fact]
    public void Equality_is_by_key()
    {
        AgentId a = AgentId.Parse("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");
        AgentId b = AgentId.FromPublicKey(a.PublicKey);
        AgentId c = AgentId.Parse("did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG");
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.NotEqual(a, default);
        Assert.Equal(default(AgentId), default(AgentId));
        Assert.False(a.Equals("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"));

        var set = new HashSet<AgentId> { a, b, c };
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void The_default_id_holds_no_key()
    {
        AgentId id = default;
        Assert.True(id.IsDefault);
        Assert.Equal(string.Empty, id.ToString());
        Assert.True(id.PublicKey.IsEmpty);
        Assert.Equal(0, id.GetHashCode());
        Assert.Throws<InvalidOperationException>(() => id.Verify([], new byte[64]));
    }

    [Fact]
    public void Public_keys_must_be_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => AgentId.FromPublicKey(new byte[31]));
        Assert.Throws<ArgumentException>(() => AgentId.FromPublicKey(new byte[33]));
        Assert.Throws<ArgumentException>(() => AgentId.FromPublicKey([]));
    }

    [Fact]
    public void Verify_checks_signatures_of_the_key()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        byte[] signature = alice.Sign("message"u8);
        Assert.True(alice.Id.Verify("message"u8, signature));
        Assert.False(bob.Id.Verify("message"u8, signature));
        Assert.False(alice.Id.Verify("massage"u8, signature));
        Assert.False(alice.Id.Verify("message"u8, signature.AsSpan(0, 63)));
        Assert.False(alice.Id.Verify("message"u8, []));
    }

    [Fact]
    public void Base58_round_trips_with_leading_zeros()
    {
        Assert.Equal(string.Empty, Base58.Encode([]));
        Assert.Equal("1", Base58.Encode([0]));
        Assert.Equal("11", Base58.Encode([0, 0]));
        Assert.Equal("z", Base58.Encode([57]));
        Assert.Equal("21", Base58.Encode([58]));
        Assert.Equal("5R", Base58.Encode([0x01, 0x00]));
        Assert.Equal("StV1DL6CwTryKyV", Base58.Encode("hello world"u8));
        for (int length = 0; length < 40; length++)
        {
            var bytes = new byte[length];
            Random.Shared.NextBytes(bytes);
            if (length > 2)
            {
                bytes[0] = 0;
            }

            Assert.True(Base58.TryDecode(Base58.Encode(bytes), out byte[] decoded, out int invalid));
            Assert.Equal(-1, invalid);
            Assert.Equal(bytes, decoded);
        }
    }
}
