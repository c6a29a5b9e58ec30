using System.Security.Cryptography;

namespace Synapse.Tests.Crypto;

/// <summary>
/// Wycheproof <c>hkdf_sha256_test.json</c> against the in-box <see cref="HKDF"/> (RFC 5869). "valid" cases
/// (including an empty salt and the maximal output of 255 × 32 = 8160 bytes) give the listed output through
/// both the one-shot and the extract-then-expand forms; the "invalid" cases ask for 8161 bytes, which must throw.
/// </summary>
public class HkdfWycheproofTests
{
    private const string VectorFile = "hkdf_sha256_test.json";

    public static TheoryData<int> Cases => Wycheproof.Ids(VectorFile);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derive_gives_the_expected_verdict(int tcId)
    {
        WycheproofCase c = Wycheproof.Case(VectorFile, tcId);
        byte[] ikm = c.Bytes("ikm");
        byte[] salt = c.Bytes("salt");
        byte[] info = c.Bytes("info");
        int size = c.Test.GetProperty("size").GetInt32();

        if (c.Result == "valid")
        {
            string expected = c.Test.GetProperty("okm").GetString()!.ToUpperInvariant();
            Assert.Equal(expected, Convert.ToHexString(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, size, salt, info)));

            var output = new byte[size];
            Span<byte> prk = stackalloc byte[32];
            Assert.Equal(32, HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt, prk));
            HKDF.Expand(HashAlgorithmName.SHA256, prk, output, info);
            Assert.Equal(expected, Convert.ToHexString(output));
            return;
        }

        Assert.Equal("invalid", c.Result);
        Assert.Contains("SizeTooLarge", c.Flags);
        Assert.True(size > 255 * 32);
        Assert.Throws<ArgumentOutOfRangeException>(() => HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, size, salt, info));
        Assert.ThrowsAny<ArgumentException>(() => HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, new byte[size], salt, info));
    }

    [Fact]
    public void The_file_has_every_case()
    {
        Assert.Equal(86, Wycheproof.All(VectorFile).Count());
    }
}
