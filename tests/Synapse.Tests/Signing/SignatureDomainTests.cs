using System.Security.Cryptography;
using Synapse.Identity;
using Synapse.Signing;

namespace Synapse.Tests.Signing;

public sealed class SignatureDomainTests : IDisposable
{
    private static readonly SignatureDomain Domain = new("synapse-test-record-v1", 64);

    private readonly AgentIdentity _alice = AgentIdentity.Generate();
    private readonly AgentIdentity _bob = AgentIdentity.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void A_signature_is_ed25519_over_the_context_and_the_body()
    {
        byte[] body = "the canonical fields"u8.ToArray();

        byte[] signature = Domain.Sign(_alice, body);

        Assert.Equal(_alice.Sign([.. "synapse-test-record-v1"u8, .. body]), signature);
        Assert.Equal(SHA256.HashData([.. "synapse-test-record-v1"u8, .. body]), Domain.Hash(body));
        Assert.Equal(SignatureCheck.Valid, Domain.Check(_alice.Id, body, signature));
    }

    [Fact]
    public void The_three_layouts_carry_the_same_signature()
    {
        byte[] body = "fields"u8.ToArray();
        byte[] message = Domain.WithContext(body);
        var inPlace = new byte[SignatureDomain.SignatureSize];

        Domain.SignMessage(_alice, message, inPlace);
        byte[] appended = Domain.SignAppended(_alice, body);

        Assert.Equal(Domain.Sign(_alice, body), inPlace);
        Assert.Equal(body, SignatureDomain.BodyOf(appended).ToArray());
        Assert.Equal(inPlace, SignatureDomain.SignatureOf(appended).ToArray());
        Assert.Equal(SignatureCheck.Valid, Domain.CheckMessage(_alice.Id, message, inPlace));
        Assert.Equal(SignatureCheck.Valid, Domain.CheckAppended(_alice.Id, appended));
    }

    [Fact]
    public void Another_key_does_not_verify()
    {
        byte[] body = "fields"u8.ToArray();
        byte[] appended = Domain.SignAppended(_alice, body);

        Assert.Equal(SignatureCheck.BadSignature, Domain.Check(_bob.Id, body, Domain.Sign(_alice, body)));
        Assert.Equal(SignatureCheck.BadSignature, Domain.CheckAppended(_bob.Id, appended));
        Assert.Equal(SignatureCheck.BadSignature, Domain.CheckMessage(_bob.Id, Domain.WithContext(body), SignatureDomain.SignatureOf(appended)));
    }

    [Fact]
    public void A_tampered_body_or_signature_does_not_verify()
    {
        byte[] appended = Domain.SignAppended(_alice, "fields"u8);

        for (int i = 0; i < appended.Length; i++)
        {
            byte[] tampered = [.. appended];
            tampered[i] ^= 0x01;
            Assert.Equal(SignatureCheck.BadSignature, Domain.CheckAppended(_alice.Id, tampered));
        }

        Assert.Equal(SignatureCheck.BadSignature, Domain.CheckAppended(_alice.Id, [.. "field"u8, .. SignatureDomain.SignatureOf(appended)]));
    }

    [Fact]
    public void A_signature_of_another_domain_does_not_verify()
    {
        var cards = new SignatureDomain("synapse-test-card-v1", 64);
        var version2 = new SignatureDomain("synapse-test-record-v2", 64);
        byte[] body = "fields"u8.ToArray();
        byte[] signature = cards.Sign(_alice, body);

        Assert.Equal(SignatureCheck.Valid, cards.Check(_alice.Id, body, signature));
        Assert.Equal(SignatureCheck.BadSignature, Domain.Check(_alice.Id, body, signature));
        Assert.Equal(SignatureCheck.BadSignature, version2.Check(_alice.Id, body, Domain.Sign(_alice, body)));
        Assert.NotEqual(Domain.Hash(body), cards.Hash(body));
    }

    [Fact]
    public void An_over_limit_body_is_refused_before_its_signature_is_looked_at()
    {
        // The same context with a larger bound makes a genuine signature over a body too large for Domain.
        var roomy = new SignatureDomain("synapse-test-record-v1", 1024);
        byte[] body = new byte[Domain.MaxBodySize + 1];
        byte[] signature = roomy.Sign(_alice, body);
        Assert.Equal(SignatureCheck.Valid, roomy.Check(_alice.Id, body, signature));

        Assert.Equal(SignatureCheck.TooLarge, Domain.Check(_alice.Id, body, signature));
        Assert.Equal(SignatureCheck.TooLarge, Domain.CheckAppended(_alice.Id, [.. body, .. signature]));
        Assert.Equal(SignatureCheck.TooLarge, Domain.CheckMessage(_alice.Id, Domain.WithContext(body), signature));
        Assert.Equal(SignatureCheck.TooLarge, Domain.Check(_alice.Id, body, new byte[3])); // the size comes first
        Assert.Throws<ArgumentException>(() => Domain.Sign(_alice, body));
        Assert.Throws<ArgumentException>(() => Domain.SignAppended(_alice, body));
        Assert.Throws<ArgumentException>(() => Domain.SignMessage(_alice, Domain.WithContext(body), new byte[SignatureDomain.SignatureSize]));
    }

    [Fact]
    public void A_signature_of_the_wrong_size_or_a_truncated_record_is_named_as_such()
    {
        byte[] body = "fields"u8.ToArray();
        byte[] signature = Domain.Sign(_alice, body);

        Assert.Equal(SignatureCheck.WrongSignatureSize, Domain.Check(_alice.Id, body, signature.AsSpan(0, 63)));
        Assert.Equal(SignatureCheck.WrongSignatureSize, Domain.Check(_alice.Id, body, [.. signature, 0]));
        Assert.Equal(SignatureCheck.WrongSignatureSize, Domain.CheckMessage(_alice.Id, Domain.WithContext(body), []));
        Assert.Equal(SignatureCheck.TooShort, Domain.CheckAppended(_alice.Id, signature));
        Assert.Equal(SignatureCheck.TooShort, Domain.CheckAppended(_alice.Id, []));
    }

    [Fact]
    public void A_message_must_begin_with_the_context()
    {
        byte[] body = "fields"u8.ToArray();

        Assert.Throws<ArgumentException>(() => Domain.CheckMessage(_alice.Id, body, Domain.Sign(_alice, body)));
        Assert.Throws<ArgumentException>(() => Domain.SignMessage(_alice, body, new byte[SignatureDomain.SignatureSize]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("synapse-é-v1")]
    public void A_context_is_printable_ascii(string context) =>
        Assert.Throws<ArgumentException>(() => new SignatureDomain(context, 16));

    [Fact]
    public void The_default_agent_id_cannot_check()
    {
        byte[] body = "fields"u8.ToArray();

        Assert.Throws<InvalidOperationException>(() => Domain.Check(default, body, Domain.Sign(_alice, body)));
    }
}
