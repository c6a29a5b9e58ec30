using Synapse.Crypto;

namespace Synapse.Tests.Crypto;

public class X25519Tests
{
    // RFC 7748 §6.1.
    private const string AlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private const string AlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private const string BobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private const string BobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private const string Shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    [Fact]
    public void Rfc7748_key_agreement()
    {
        var publicKey = new byte[32];
        X25519.DerivePublicKey(Convert.FromHexString(AlicePrivate), publicKey);
        Assert.Equal(AlicePublic, Convert.ToHexStringLower(publicKey));
        X25519.DerivePublicKey(Convert.FromHexString(BobPrivate), publicKey);
        Assert.Equal(BobPublic, Convert.ToHexStringLower(publicKey));

        var shared = new byte[32];
        Assert.True(X25519.TryAgree(Convert.FromHexString(AlicePrivate), Convert.FromHexString(BobPublic), shared));
        Assert.Equal(Shared, Convert.ToHexStringLower(shared));
        Assert.True(X25519.TryAgree(Convert.FromHexString(BobPrivate), Convert.FromHexString(AlicePublic), shared));
        Assert.Equal(Shared, Convert.ToHexStringLower(shared));
    }

    [Fact]
    public void Generated_pairs_agree()
    {
        var a = new byte[32];
        var aPublic = new byte[32];
        var b = new byte[32];
        var bPublic = new byte[32];
        X25519.GenerateKeyPair(a, aPublic);
        X25519.GenerateKeyPair(b, bPublic);
        Assert.NotEqual(a, b);

        var ab = new byte[32];
        var ba = new byte[32];
        Assert.True(X25519.TryAgree(a, bPublic, ab));
        Assert.True(X25519.TryAgree(b, aPublic, ba));
        Assert.Equal(ab, ba);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // u = 0
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // u = 1
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // u = p - 1
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")] // order 8
    public void Low_order_peer_keys_are_refused_with_a_zeroed_output(string peerHex)
    {
        var privateKey = new byte[32];
        var publicKey = new byte[32];
        X25519.GenerateKeyPair(privateKey, publicKey);
        var shared = new byte[32];
        shared.AsSpan().Fill(0x55);
        Assert.False(X25519.TryAgree(privateKey, Convert.FromHexString(peerHex), shared));
        Assert.Equal(new byte[32], shared);
    }

    [Fact]
    public void A_reusable_private_key_agrees_like_the_one_shot_function()
    {
        X25519PrivateKey alice = X25519PrivateKey.Create(Convert.FromHexString(AlicePrivate));
        var publicKey = new byte[32];
        alice.GetPublicKey(publicKey);
        Assert.Equal(AlicePublic, Convert.ToHexStringLower(publicKey));

        var shared = new byte[32];
        for (int i = 0; i < 3; i++)
        {
            Assert.True(alice.TryAgree(Convert.FromHexString(BobPublic), shared));
            Assert.Equal(Shared, Convert.ToHexStringLower(shared));
        }

        Assert.False(alice.TryAgree(new byte[32], shared));
        Assert.Equal(new byte[32], shared);
        Assert.Throws<ArgumentException>("peerPublicKey", () => alice.TryAgree(new byte[31], shared));
        Assert.Throws<ArgumentException>("sharedSecret", () => alice.TryAgree(new byte[32], new byte[31]));
        Assert.Throws<ArgumentException>("privateKey", () => X25519PrivateKey.Create(new byte[31]));

        alice.Dispose();
        Assert.Throws<ObjectDisposedException>(() => alice.TryAgree(Convert.FromHexString(BobPublic), shared));
        Assert.Throws<ObjectDisposedException>(() => alice.GetPublicKey(publicKey));
    }

    [Fact]
    public void Wrong_sizes_are_argument_errors()
    {
        var key = new byte[32];
        Assert.Throws<ArgumentException>("privateKey", () => X25519.DerivePublicKey(new byte[31], new byte[32]));
        Assert.Throws<ArgumentException>("publicKey", () => X25519.DerivePublicKey(key, new byte[31]));
        Assert.Throws<ArgumentException>("privateKey", () => X25519.TryAgree(new byte[33], key, new byte[32]));
        Assert.Throws<ArgumentException>("peerPublicKey", () => X25519.TryAgree(key, new byte[31], new byte[32]));
        Assert.Throws<ArgumentException>("sharedSecret", () => X25519.TryAgree(key, key, new byte[64]));
        Assert.Throws<ArgumentException>("privateKey", () => X25519.GenerateKeyPair(new byte[1], new byte[32]));
    }
}
