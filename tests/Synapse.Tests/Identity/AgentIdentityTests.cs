using Synapse.Crypto;
using Synapse.Identity;

namespace Synapse.Tests.Identity;

public class AgentIdentityTests
{
    [Fact]
    public void Generated_identities_differ_and_sign()
    {
        using AgentIdentity a = AgentIdentity.Generate();
        using AgentIdentity b = AgentIdentity.Generate();
        Assert.NotEqual(a.Id, b.Id);

        byte[] signature = a.Sign("hello"u8);
        Assert.Equal(Ed25519.SignatureSize, signature.Length);
        Assert.True(a.Id.Verify("hello"u8, signature));
        Assert.True(Ed25519.Verify(a.Id.PublicKey, "hello"u8, signature));
        Assert.False(b.Id.Verify("hello"u8, signature));

        var into = new byte[64];
        a.Sign("hello"u8, into);
        Assert.Equal(signature, into); // Ed25519 is deterministic
    }

    [Fact]
    public void From_seed_matches_the_primitive()
    {
        byte[] seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using AgentIdentity identity = AgentIdentity.FromSeed(seed);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(identity.Id.PublicKey));
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(identity.Sign([])));

        // The identity keeps its own copy of the seed.
        seed.AsSpan().Clear();
        Assert.True(identity.Id.Verify("x"u8, identity.Sign("x"u8)));
    }

    [Fact]
    public void Seeds_must_be_32_bytes()
    {
        Assert.Throws<ArgumentException>("seed", () => AgentIdentity.FromSeed(new byte[31]));
        Assert.Throws<ArgumentException>("seed", () => AgentIdentity.FromSeed(new byte[64]));
    }

    [Fact]
    public void Signature_buffers_must_be_64_bytes()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        Assert.Throws<ArgumentException>("signature", () => identity.Sign([], new byte[63]));
        Assert.Throws<ArgumentException>("signature", () => identity.Sign([], new byte[65]));
    }

    [Fact]
    public void ToString_shows_the_id_and_no_key_material()
    {
        byte[] seed = Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        using AgentIdentity identity = AgentIdentity.FromSeed(seed);
        string text = identity.ToString();
        Assert.Equal($"AgentIdentity({identity.Id})", text);
        foreach (string form in new[] { Convert.ToHexString(seed), Convert.ToHexStringLower(seed), Convert.ToBase64String(seed), Base58.Encode(seed) })
        {
            Assert.DoesNotContain(form, text, StringComparison.Ordinal);
            Assert.DoesNotContain(form[..8], text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Convert.ToHexString(seed), $"{identity}", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Dispose_frees_the_key_and_stops_signing()
    {
        // The seed lives only in NSec's key (libsodium wipes it when freed): once disposed nothing reads it back.
        AgentIdentity identity = AgentIdentity.Generate();
        Assert.NotEqual(new byte[32], identity.Seed);
        AgentId id = identity.Id;

        identity.Dispose();
        Assert.True(identity.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => identity.Seed);
        Assert.Throws<ObjectDisposedException>(() => identity.ExportSeed(new byte[32]));
        Assert.Throws<ObjectDisposedException>(() => identity.Sign("x"u8));
        Assert.Throws<ObjectDisposedException>(() => identity.Sign("x"u8, new byte[64]));
        Assert.Throws<ObjectDisposedException>(() => identity.Save(Path.Combine(Path.GetTempPath(), "never-written.key")));
        Assert.Equal(id, identity.Id);
        identity.Dispose(); // idempotent
    }

    [Fact]
    public void Concurrent_signing_is_safe()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        Parallel.For(0, 200, i =>
        {
            byte[] message = BitConverter.GetBytes(i);
            Assert.True(identity.Id.Verify(message, identity.Sign(message)));
        });
    }
}
