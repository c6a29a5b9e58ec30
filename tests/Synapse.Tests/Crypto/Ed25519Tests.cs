using Synapse.Crypto;

namespace Synapse.Tests.Crypto;

public class Ed25519Tests
{
    // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
    private const string Rfc8032Seed1 = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string Rfc8032Public1 = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string Rfc8032Signature1 = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    private const string Rfc8032Seed2 = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    private const string Rfc8032Public2 = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private const string Rfc8032Signature2 = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

    [Theory]
    [InlineData(Rfc8032Seed1, Rfc8032Public1, "", Rfc8032Signature1)]
    [InlineData(Rfc8032Seed2, Rfc8032Public2, "72", Rfc8032Signature2)]
    public void Rfc8032_vectors(string seedHex, string publicHex, string messageHex, string signatureHex)
    {
        byte[] seed = Convert.FromHexString(seedHex);
        byte[] message = Convert.FromHexString(messageHex);
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.DerivePublicKey(seed, publicKey);
        Assert.Equal(publicHex, Convert.ToHexStringLower(publicKey));

        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(seed, message, signature);
        Assert.Equal(signatureHex, Convert.ToHexStringLower(signature));
        Assert.True(Ed25519.Verify(publicKey, message, signature));
    }

    [Fact]
    public void Generated_keys_sign_and_verify_and_differ()
    {
        var seed = new byte[32];
        var publicKey = new byte[32];
        var seed2 = new byte[32];
        var publicKey2 = new byte[32];
        Ed25519.GenerateKeyPair(seed, publicKey);
        Ed25519.GenerateKeyPair(seed2, publicKey2);
        Assert.NotEqual(seed, seed2);
        Assert.NotEqual(publicKey, publicKey2);

        var derived = new byte[32];
        Ed25519.DerivePublicKey(seed, derived);
        Assert.Equal(publicKey, derived);

        byte[] message = "hello agents"u8.ToArray();
        var signature = new byte[64];
        Ed25519.Sign(seed, message, signature);
        Assert.True(Ed25519.Verify(publicKey, message, signature));
        Assert.False(Ed25519.Verify(publicKey2, message, signature));
        Assert.False(Ed25519.Verify(publicKey, "hello agents!"u8, signature));
    }

    [Fact]
    public void Any_single_bit_flip_in_the_signature_key_or_message_fails()
    {
        byte[] seed = Convert.FromHexString(Rfc8032Seed2);
        byte[] publicKey = Convert.FromHexString(Rfc8032Public2);
        byte[] message = [0x72];
        byte[] signature = Convert.FromHexString(Rfc8032Signature2);
        for (int bit = 0; bit < signature.Length * 8; bit++)
        {
            byte[] bad = (byte[])signature.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Ed25519.Verify(publicKey, message, bad), $"signature bit {bit}");
        }

        for (int bit = 0; bit < publicKey.Length * 8; bit++)
        {
            byte[] bad = (byte[])publicKey.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Ed25519.Verify(bad, message, signature), $"key bit {bit}");
        }

        for (int bit = 0; bit < 8; bit++)
        {
            Assert.False(Ed25519.Verify(publicKey, [(byte)(message[0] ^ (1 << bit))], signature), $"message bit {bit}");
        }

        Assert.NotNull(seed);
    }

    [Fact]
    public void Verify_returns_false_on_malformed_input_and_never_throws()
    {
        byte[] publicKey = Convert.FromHexString(Rfc8032Public1);
        byte[] signature = Convert.FromHexString(Rfc8032Signature1);
        Assert.True(Ed25519.Verify(publicKey, [], signature));
        Assert.False(Ed25519.Verify([], [], signature));
        Assert.False(Ed25519.Verify(publicKey.AsSpan(0, 31), [], signature));
        Assert.False(Ed25519.Verify([.. publicKey, 0], [], signature));
        Assert.False(Ed25519.Verify(publicKey, [], []));
        Assert.False(Ed25519.Verify(publicKey, [], signature.AsSpan(0, 63)));
        Assert.False(Ed25519.Verify(publicKey, [], [.. signature, 0]));
        Assert.False(Ed25519.Verify(new byte[32], [], signature));
        Assert.False(Ed25519.Verify(Enumerable.Repeat((byte)0xff, 32).ToArray(), [], signature));
        Assert.False(Ed25519.Verify(publicKey, [], new byte[64]));
    }

    [Fact]
    public void Large_messages_sign_and_verify()
    {
        var seed = new byte[32];
        var publicKey = new byte[32];
        Ed25519.GenerateKeyPair(seed, publicKey);
        byte[] message = new byte[1 << 20];
        Random.Shared.NextBytes(message);
        var signature = new byte[64];
        Ed25519.Sign(seed, message, signature);
        Assert.True(Ed25519.Verify(publicKey, message, signature));
        message[^1] ^= 1;
        Assert.False(Ed25519.Verify(publicKey, message, signature));
    }

    [Fact]
    public void Wrong_sizes_are_argument_errors()
    {
        var seed = new byte[32];
        Assert.Throws<ArgumentException>("seed", () => Ed25519.DerivePublicKey(new byte[31], new byte[32]));
        Assert.Throws<ArgumentException>("publicKey", () => Ed25519.DerivePublicKey(seed, new byte[33]));
        Assert.Throws<ArgumentException>("seed", () => Ed25519.Sign(new byte[64], [], new byte[64]));
        Assert.Throws<ArgumentException>("signature", () => Ed25519.Sign(seed, [], new byte[63]));
        Assert.Throws<ArgumentException>("seed", () => Ed25519.GenerateKeyPair(new byte[16], new byte[32]));
        Assert.Throws<ArgumentException>("publicKey", () => Ed25519.GenerateKeyPair(new byte[32], new byte[16]));
    }

    [Fact]
    public void Concurrent_signing_and_verifying_is_safe()
    {
        byte[] seed = Convert.FromHexString(Rfc8032Seed2);
        byte[] publicKey = Convert.FromHexString(Rfc8032Public2);
        Parallel.For(0, 200, i =>
        {
            byte[] message = BitConverter.GetBytes(i);
            var signature = new byte[64];
            Ed25519.Sign(seed, message, signature);
            Assert.True(Ed25519.Verify(publicKey, message, signature));
            signature[0] ^= 1;
            Assert.False(Ed25519.Verify(publicKey, message, signature));
        });
    }
}
