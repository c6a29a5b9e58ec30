using Synapse.Crypto;

namespace Synapse.Tests.Crypto;

public class CryptoPrimitivesTests
{
    [Fact]
    public void Backend_exceptions_are_cryptographic_exceptions()
    {
        var e = new CryptoBackendException("x", new DllNotFoundException("y"));
        Assert.IsAssignableFrom<System.Security.Cryptography.CryptographicException>(e);
        Assert.IsType<DllNotFoundException>(e.InnerException);
    }

    [Fact]
    public void Secret_buffers_zero_on_dispose()
    {
        var buffer = new SecretBuffer(32);
        buffer.Span.Fill(0xA5);
        byte[] array = buffer.ArrayForTests;
        buffer.Dispose();
        Assert.Equal(new byte[32], array);
        Assert.True(buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.DoesNotContain("A5", buffer.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_signing_key_exports_its_seed_only_when_created_exportable()
    {
        byte[] seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using (Ed25519SigningKey exportable = Ed25519SigningKey.Create(seed, exportable: true))
        {
            byte[] copy = new byte[32];
            exportable.ExportSeed(copy);
            Assert.Equal(seed, copy);
        }

        using Ed25519SigningKey sealedKey = Ed25519SigningKey.Create(seed);
        Assert.ThrowsAny<InvalidOperationException>(() => sealedKey.ExportSeed(new byte[32]));
    }

    [Fact]
    public void A_disposed_signing_key_no_longer_signs()
    {
        Ed25519SigningKey key = Ed25519SigningKey.Create(new byte[32]);
        key.Dispose();
        Assert.True(key.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => key.Sign([1, 2, 3], new byte[64]));
    }

    [Fact]
    public void An_x25519_key_agrees_without_exporting_and_rejects_low_order_peers()
    {
        using X25519PrivateKey key = X25519PrivateKey.Generate();
        Assert.Null(key.Agree(new byte[32]));
        byte[] peerPublic = new byte[32];
        using X25519PrivateKey peer = X25519PrivateKey.Generate();
        peer.GetPublicKey(peerPublic);
        using NSec.Cryptography.SharedSecret? secret = key.Agree(peerPublic);
        Assert.NotNull(secret);
        Assert.ThrowsAny<InvalidOperationException>(() => secret.Export(NSec.Cryptography.SharedSecretBlobFormat.RawSharedSecret));
    }
}
