using Synapse.Crypto;
using Synapse.Identity;

namespace Synapse.Tests.Crypto;

/// <summary>
/// Wycheproof <c>ed25519_test.json</c>: every case gets its verdict from <see cref="Ed25519.Verify"/> (and from
/// <see cref="AgentId.Verify"/>, which must agree). The file has no "acceptable" cases: signature malleability
/// (S ≥ L), non-canonical R, truncated, padded and compressed signatures are all "invalid" and must be rejected.
/// </summary>
public class Ed25519WycheproofTests
{
    private const string VectorFile = "ed25519_test.json";

    public static TheoryData<int> Cases => Wycheproof.Ids(VectorFile);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify_gives_the_expected_verdict(int tcId)
    {
        WycheproofCase c = Wycheproof.Case(VectorFile, tcId);
        byte[] publicKey = Convert.FromHexString(c.Group.GetProperty("publicKey").GetProperty("pk").GetString()!);
        byte[] message = c.Bytes("msg");
        byte[] signature = c.Bytes("sig");
        Assert.True(c.Result is "valid" or "invalid", $"unexpected result {c.Result}");
        bool expected = c.Result == "valid";

        Assert.Equal(expected, Ed25519.Verify(publicKey, message, signature));
        Assert.Equal(expected, AgentId.FromPublicKey(publicKey).Verify(message, signature));
    }

    [Fact]
    public void The_file_has_every_case()
    {
        Assert.Equal(151, Wycheproof.All(VectorFile).Count());
    }
}
