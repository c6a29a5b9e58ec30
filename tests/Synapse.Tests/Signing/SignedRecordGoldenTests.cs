using System.Security.Cryptography;
using Synapse.Crypto;
using Synapse.Crypto.Noise;
using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Reputation;

namespace Synapse.Tests.Signing;

/// <summary>
/// Every signed record made from fixed inputs by a fixed key (Ed25519 is deterministic), compared with the bytes
/// recorded before the records shared one signing primitive: the wire formats and hashes may not move.
/// </summary>
public sealed class SignedRecordGoldenTests : IDisposable
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expires = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    // RFC 8032 section 7.1, tests 1 and 2.
    private readonly AgentIdentity _signer = AgentIdentity.FromSeed(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    private readonly AgentIdentity _other = AgentIdentity.FromSeed(Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));

    public void Dispose()
    {
        _signer.Dispose();
        _other.Dispose();
    }

    [Fact]
    public void Key_certificate() =>
        AssertGolden("188:01b97dc533f41351a3afcc367abd1d159d3230fef0ecad66b4c566c05ff91105", Certificate().Encoded.Span);

    [Fact]
    public void Agent_card()
    {
        AgentCard card = AgentCard.Sign(
            _signer,
            "golden",
            "tester",
            "a card signed from fixed inputs",
            [new AgentCapability("echo", "says it back", "{\"type\":\"string\"}", "{\"type\":\"string\"}")],
            [new RelayAddress("relay.example:7000", _other.Id)],
            Certificate(),
            Issued,
            Expires);

        AssertGolden("467:6a8b8fcdd86c8b2913a43be772941524ed9df4e24d089fabe7b3580bd1fe8110", card.Encoded.Span);
    }

    [Fact]
    public void Reputation_report()
    {
        var report = ReputationReport.Sign(_signer, _other.Id, ReputationReportKind.Timeout, DecisionHash.FromBytes(Filled(32, 7)), Issued);

        AssertGolden("178:03f494a940f595a6326e147b3107ab0a3b7d27361d14e8e7c1e674e0359cf59a", report.Encoded.Span);
        Assert.Equal("7887203777a21dca194d61fb2b5107988da66d9626f56df8d653a9fc5a18d928", report.Hash.ToString());
    }

    [Fact]
    public void Quarantine_attestation()
    {
        var attestation = QuarantineAttestation.Sign(_signer, _other.Id, "rate_limit", Issued, Expires);

        AssertGolden("163:c36519d730ba0fc0bd883c198556cb9a0432263b21747b70c9f0e5271054898d", attestation.Encoded.Span);
        Assert.Equal("44ba3766915532b00e2cdbd1255a846fea111c1b7b376b8dec4c4a55f9cfa85c", attestation.Hash.ToString());
    }

    [Fact]
    public void Decision_record()
    {
        var body = new DecisionBody
        {
            Agent = _signer.Id,
            Sequence = 2,
            Previous = DecisionHash.FromBytes(Filled(32, 1)),
            TimestampMilliseconds = Issued.ToUnixTimeMilliseconds(),
            Route = "review/submit",
            StatesBefore = ["doc:a"],
            StatesAfter = ["doc:b"],
            Trigger = "ok",
            Action = DecisionActions.Move,
            DataDigest = SHA256.HashData("data"u8),
            CauseMessageId = new Guid("0190f1d2-3c4b-7a00-8000-000000000001"),
            CauseHash = DecisionHash.FromBytes(Filled(32, 2)),
            PeerRefs = [DecisionHash.FromBytes(Filled(32, 3))],
        };
        DecisionRecord record = DecisionRecord.Create(body, _signer);

        AssertGolden("301:7d4242c316100d89e9ffde745504304acd075947e2a8a0c791f7b182174d3a0f", record.Bytes.Span);
        Assert.Equal("7fd8bad8ebe9a748fd219295ea366266558d9259b573462fbebdb9a693d0b607", record.Hash.ToString());
    }

    [Fact]
    public void Noise_static_key_signature()
    {
        using NoiseStaticCredential credential = NoiseStaticCredential.Create(_signer);
        var reader = new MsgPackReader(credential.Payload);
        Assert.Equal(2, reader.ReadMapHeader());
        Assert.Equal("id", reader.ReadString());
        Assert.Equal(_signer.Id.ToString(), reader.ReadString());
        Assert.Equal("sig", reader.ReadString());
        byte[] signature = reader.ReadBinary();

        // The signature is Ed25519 over "synapse-noise-static-v1" ‖ the X25519 static key, as the peer checks it.
        Assert.True(Ed25519.Verify(_signer.Id.PublicKey, [.. "synapse-noise-static-v1"u8, .. credential.PublicKey], signature));
        byte[] byHand = _signer.Sign([.. "synapse-noise-static-v1"u8, .. credential.PublicKey]);
        Assert.Equal(_signer.Id, NoiseIdentityPayload.Verify(NoiseIdentityPayload.Encode(_signer.Id, byHand), credential.PublicKey));
    }

    private EncryptionKeyCertificate Certificate() =>
        EncryptionKeyCertificate.Issue(_signer, Recipient.ForAgent(_signer.Id), Filled(32, 0x42), Issued, Expires);

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    /// <summary>Compares the SHA-256 and the length of <paramref name="bytes"/> with the recorded ones.</summary>
    private static void AssertGolden(string expected, ReadOnlySpan<byte> bytes) =>
        Assert.Equal(expected, $"{bytes.Length}:{Convert.ToHexStringLower(SHA256.HashData(bytes))}");
}
