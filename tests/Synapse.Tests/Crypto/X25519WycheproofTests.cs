using Synapse.Crypto;

namespace Synapse.Tests.Crypto;

/// <summary>
/// Wycheproof <c>x25519_test.json</c>. "valid" cases must produce the listed shared secret. "acceptable" cases
/// (twist points, non-canonical u ≥ p, public keys with the top bit set, low-order points) are the ones RFC 7748
/// lets an implementation either accept or reject; our behaviour is:
/// <list type="bullet">
/// <item>when the listed shared secret is all zeros (flag ZeroSharedSecret, a low-order peer key),
/// <see cref="X25519.TryAgree"/> returns false and leaves the output zeroed: a zero secret carries no
/// contribution from our key, so the Noise and HPKE layers must refuse the peer (Noise §12.1 allows the check,
/// RFC 9180 §7.1.4 requires it for DHKEM);</item>
/// <item>every other acceptable case is computed exactly as RFC 7748 specifies (mask the top bit, reduce u mod p),
/// and must match the listed secret: rejecting them would gain nothing and break interoperability.</item>
/// </list>
/// </summary>
public class X25519WycheproofTests
{
    private const string VectorFile = "x25519_test.json";

    public static TheoryData<int> Cases => Wycheproof.Ids(VectorFile);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Agreement_gives_the_expected_secret_or_refuses_a_zero_secret(int tcId)
    {
        WycheproofCase c = Wycheproof.Case(VectorFile, tcId);
        byte[] privateKey = c.Bytes("private");
        byte[] peer = c.Bytes("public");
        byte[] expected = c.Bytes("shared");
        Assert.True(c.Result is "valid" or "acceptable", $"unexpected result {c.Result}");

        var shared = new byte[X25519.KeySize];
        shared.AsSpan().Fill(0xAA);
        bool agreed = X25519.TryAgree(privateKey, peer, shared);

        // The reusable OpenSSL key object gives the same verdict and secret.
        using (X25519PrivateKey key = X25519PrivateKey.Create(privateKey))
        {
            var again = new byte[X25519.KeySize];
            again.AsSpan().Fill(0xAA);
            Assert.Equal(agreed, key.TryAgree(peer, again));
            Assert.Equal(shared, again);
        }

        if (expected.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            Assert.Equal("acceptable", c.Result);
            Assert.Contains("ZeroSharedSecret", c.Flags);
            Assert.False(agreed);
            Assert.Equal(new byte[X25519.KeySize], shared);
        }
        else
        {
            Assert.True(agreed);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(shared));
        }
    }

    [Fact]
    public void The_file_has_every_case_and_only_the_zero_secret_cases_are_refused()
    {
        int refused = 0;
        foreach (WycheproofCase c in Wycheproof.All(VectorFile))
        {
            if (!X25519.TryAgree(c.Bytes("private"), c.Bytes("public"), new byte[32]))
            {
                refused++;
                Assert.Contains("ZeroSharedSecret", c.Flags);
            }
        }

        Assert.Equal(518, Wycheproof.All(VectorFile).Count());
        Assert.Equal(Wycheproof.All(VectorFile).Count(c => c.Flags.Contains("ZeroSharedSecret")), refused);
    }
}
