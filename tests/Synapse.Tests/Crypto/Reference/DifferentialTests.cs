using System.Numerics;
using Synapse.Crypto;

using Synapse.Testing.Crypto;

namespace Synapse.Tests.Crypto.Reference;

/// <summary>
/// NSec (the product's <see cref="Ed25519"/> and <see cref="X25519"/>) against the OpenSSL binding Synapse used
/// before (<see cref="OpenSsl25519"/>), on seeded random inputs: the same public keys, signatures, verdicts and
/// shared secrets, and the same rejections.
/// </summary>
public class DifferentialTests
{
    private const int Rounds = 300;

    /// <summary>The group order L of Ed25519.</summary>
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The X25519 points of order 1, 2, 4 and 8 (and their non-canonical encodings) that give the all-zero secret.</summary>
    private static readonly string[] LowOrderPoints =
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        // The same points with the top bit set, which X25519 ignores.
        "0000000000000000000000000000000000000000000000000000000000000080",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ];

    [Fact]
    public void Ed25519_public_keys_and_signatures_are_identical()
    {
        var random = new Random(2514);
        for (int i = 0; i < Rounds; i++)
        {
            byte[] seed = Bytes(random, 32);
            byte[] message = Bytes(random, random.Next(0, 300));
            byte[] expectedKey = new byte[32], actualKey = new byte[32];
            OpenSsl25519.Ed25519PublicKey(seed, expectedKey);
            Ed25519.DerivePublicKey(seed, actualKey);
            Assert.Equal(expectedKey, actualKey);

            byte[] expected = new byte[64], actual = new byte[64];
            OpenSsl25519.Sign(seed, message, expected);
            Ed25519.Sign(seed, message, actual);
            Assert.Equal(expected, actual);
            Assert.True(Ed25519.Verify(actualKey, message, expected));
            Assert.True(OpenSsl25519.Verify(expectedKey, message, actual));
        }
    }

    [Fact]
    public void Ed25519_verdicts_agree_on_tampered_malformed_and_non_canonical_signatures()
    {
        var random = new Random(2515);
        for (int i = 0; i < Rounds; i++)
        {
            byte[] seed = Bytes(random, 32);
            byte[] message = Bytes(random, random.Next(1, 200));
            byte[] publicKey = new byte[32], signature = new byte[64];
            Ed25519.DerivePublicKey(seed, publicKey);
            Ed25519.Sign(seed, message, signature);

            foreach ((byte[] key, byte[] msg, byte[] sig) in Variants(random, publicKey, message, signature))
            {
                bool expected = OpenSsl25519.Verify(key, msg, sig);
                Assert.Equal(expected, Ed25519.Verify(key, msg, sig));
            }
        }
    }

    [Fact]
    public void X25519_public_keys_and_shared_secrets_are_identical()
    {
        var random = new Random(2516);
        for (int i = 0; i < Rounds; i++)
        {
            byte[] privateKey = Bytes(random, 32);
            byte[] expectedKey = new byte[32], actualKey = new byte[32];
            OpenSsl25519.X25519PublicKey(privateKey, expectedKey);
            X25519.DerivePublicKey(privateKey, actualKey);
            Assert.Equal(expectedKey, actualKey);

            // Real peers, and arbitrary 32-byte strings (top bit set, u ≥ p): both reduce them alike.
            byte[] peer = i % 2 == 0 ? PublicKeyOf(Bytes(random, 32)) : Bytes(random, 32);
            byte[] expected = new byte[32], actual = new byte[32];
            bool expectedOk = OpenSsl25519.TryAgree(privateKey, peer, expected);
            bool actualOk = X25519.TryAgree(privateKey, peer, actual);
            Assert.Equal(expectedOk, actualOk);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void X25519_both_reject_every_low_order_point()
    {
        var random = new Random(2517);
        foreach (string hex in LowOrderPoints)
        {
            byte[] point = Convert.FromHexString(hex);
            for (int i = 0; i < 10; i++)
            {
                byte[] privateKey = Bytes(random, 32);
                byte[] expected = Bytes(random, 32), actual = Bytes(random, 32);
                Assert.False(OpenSsl25519.TryAgree(privateKey, point, expected), hex);
                Assert.False(X25519.TryAgree(privateKey, point, actual), hex);
                Assert.Equal(new byte[32], expected);
                Assert.Equal(new byte[32], actual);
            }
        }
    }

    private static IEnumerable<(byte[] Key, byte[] Message, byte[] Signature)> Variants(Random random, byte[] key, byte[] message, byte[] signature)
    {
        yield return (key, message, signature);
        yield return (key, Flip(random, message), signature);
        yield return (key, message, Flip(random, signature));
        yield return (Flip(random, key), message, signature);
        yield return (key, message, signature[..63]);
        yield return (key[..31], message, signature);
        yield return (key, message, Bytes(random, 64));
        yield return (Bytes(random, 32), message, signature);

        // S + L: the same scalar, not canonically encoded; and S with the top bits set.
        byte[] plusL = (byte[])signature.Clone();
        BigInteger s = new(signature.AsSpan(32), isUnsigned: true);
        (s + L).TryWriteBytes(plusL.AsSpan(32), out _, isUnsigned: true);
        yield return (key, message, plusL);
        byte[] high = (byte[])signature.Clone();
        high[63] |= 0xE0;
        yield return (key, message, high);

        // R replaced by the identity point's encoding, and a key that is not a curve point.
        byte[] identityR = (byte[])signature.Clone();
        identityR.AsSpan(0, 32).Clear();
        identityR[0] = 1;
        yield return (key, message, identityR);
        byte[] notAPoint = (byte[])key.Clone();
        notAPoint[31] = 0x7F;
        notAPoint[0] = 0xEE;
        yield return (notAPoint, message, signature);
    }

    private static byte[] PublicKeyOf(byte[] privateKey)
    {
        byte[] publicKey = new byte[32];
        OpenSsl25519.X25519PublicKey(privateKey, publicKey);
        return publicKey;
    }

    private static byte[] Flip(Random random, byte[] bytes)
    {
        byte[] copy = (byte[])bytes.Clone();
        if (copy.Length > 0)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
