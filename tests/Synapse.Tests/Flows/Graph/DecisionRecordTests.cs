using System.Security.Cryptography;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Tests.Envelopes;

namespace Synapse.Tests.Flows.Graph;

/// <summary>The canonical encoding of a record: fields, hash, signature, and refusal of malformed bytes.</summary>
public sealed class DecisionRecordTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
    private readonly GraphDirectory _dir = new();
    private readonly AgentIdentity _identity = AgentIdentity.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public void Dispose()
    {
        _identity.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_record_carries_every_draft_field_and_survives_decoding()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _identity, new ManualTimeProvider(Start.AddTicks(4567)));
        var cause = DecisionHash.Compute("peer"u8);
        var peer = DecisionHash.Compute("other"u8);
        var messageId = Guid.NewGuid();
        var data = "payload"u8.ToArray();

        var record = graph.Append(new DecisionDraft
        {
            Route = "review/submit",
            StatesBefore = ["doc1:draft", "doc2:draft"],
            StatesAfter = ["doc1:review", "doc2:draft"],
            Trigger = "ok.match",
            Action = DecisionActions.Move,
            Data = data,
            CauseMessageId = messageId,
            CauseHash = cause,
            PeerRefs = [peer],
        });
        var decoded = DecisionRecord.Decode(record.Bytes.Span);

        foreach (var r in new[] { record, decoded })
        {
            Assert.Equal(_identity.Id, r.Agent);
            Assert.Equal(1, r.Sequence);
            Assert.True(r.Previous.IsZero);
            Assert.Equal(Start, r.Timestamp); // whole milliseconds
            Assert.Equal("review/submit", r.Route);
            Assert.Equal(["doc1:draft", "doc2:draft"], r.StatesBefore);
            Assert.Equal(["doc1:review", "doc2:draft"], r.StatesAfter);
            Assert.Equal("ok.match", r.Trigger);
            Assert.Equal("move", r.Action);
            Assert.Equal(SHA256.HashData(data), r.DataDigest.ToArray());
            Assert.Equal(messageId, r.CauseMessageId);
            Assert.Equal(cause, r.CauseHash);
            Assert.Equal([peer], r.PeerRefs);
            Assert.Equal([cause, peer], r.CrossLinks);
            Assert.True(r.VerifySignature());
        }

        Assert.Equal(record.Hash, decoded.Hash);
        Assert.Equal(record.Bytes.ToArray(), decoded.Bytes.ToArray());
    }

    [Fact]
    public void The_hash_and_signature_cover_the_domain_string_and_the_fields()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _identity);
        var record = graph.Append(GraphKit.Draft(1));
        var body = record.Bytes[..^64].ToArray();
        byte[] signed = [.. "synapse-decision-v1"u8, .. body];

        Assert.Equal(SHA256.HashData(signed), record.Hash.Bytes.ToArray());
        Assert.True(_identity.Id.Verify(signed, record.Signature.Span));
        Assert.False(_identity.Id.Verify(body, record.Signature.Span)); // the domain string is part of what is signed

        // The fields are a 14-element array in the documented order.
        var reader = new MsgPackReader(body);
        Assert.Equal(14, reader.ReadArrayHeader());
        Assert.Equal(1, reader.ReadInt64());
        Assert.Equal(_identity.Id.PublicKey.ToArray(), reader.ReadBinary());
        Assert.Equal(1, reader.ReadInt64());
        Assert.Equal(new byte[32], reader.ReadBinary());
        Assert.Equal(record.Timestamp.ToUnixTimeMilliseconds(), reader.ReadInt64());
        Assert.Equal("review/submit", reader.ReadString());
    }

    [Fact]
    public void Optional_fields_are_nil_or_empty()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _identity);

        var record = graph.Append(new DecisionDraft { Route = "idle", Action = DecisionActions.None });

        Assert.Empty(record.StatesBefore);
        Assert.Null(record.Trigger);
        Assert.True(record.DataDigest.IsEmpty);
        Assert.Null(record.CauseMessageId);
        Assert.Null(record.CauseHash);
        Assert.Empty(record.CrossLinks);
        Assert.Equal(record.Hash, DecisionRecord.Decode(record.Bytes.Span).Hash);
    }

    [Fact]
    public void Decoding_refuses_a_non_canonical_encoding_with_a_clear_error()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _identity);
        var bytes = graph.Append(GraphKit.Draft(1)).Bytes.ToArray();

        // Sequence 1 re-encoded as uint 8 (0xcc 0x01) instead of the positive fixint 0x01.
        var body = bytes[..^64];
        int sequenceAt = 1 + 1 + 2 + 32; // array header, version, bin 32 header, key
        Assert.Equal(0x01, body[sequenceAt]);
        byte[] stretched = [.. body[..sequenceAt], 0xcc, 0x01, .. body[(sequenceAt + 1)..], .. bytes[^64..]];

        var error = Assert.Throws<DecisionGraphException>(() => DecisionRecord.Decode(stretched));
        Assert.Contains("canonical", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x01 }, "too short")]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0x03 }, "too short")]
    public void Decoding_refuses_short_input(byte[] bytes, string expected)
    {
        var error = Assert.Throws<DecisionGraphException>(() => DecisionRecord.Decode(bytes));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_refuses_a_wrong_field_count_version_and_oversized_input()
    {
        byte[] signature = new byte[64];
        Assert.Contains("3 fields, not 14", Assert.Throws<DecisionGraphException>(() => DecisionRecord.Decode([0x93, 0x01, 0x02, 0x03, .. signature])).Message, StringComparison.Ordinal);
        Assert.Contains("version 2", Assert.Throws<DecisionGraphException>(() => DecisionRecord.Decode([0x9e, 0x02, .. Enumerable.Repeat((byte)0xc0, 13), .. signature])).Message, StringComparison.Ordinal);
        Assert.Contains("at most 65536", Assert.Throws<DecisionGraphException>(() => DecisionRecord.Decode(new byte[DecisionLimits.MaxRecordSize + 1])).Message, StringComparison.Ordinal);
        // A truncated record names the MessagePack error rather than failing somewhere else.
        Assert.Contains("not a valid record encoding", Assert.Throws<DecisionGraphException>(() => DecisionRecord.Decode([0x9e, 0x01, 0xc4, 0x20, .. signature])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drafts_that_break_the_rules_are_refused_and_nothing_is_appended()
    {
        using var graph = DecisionGraph.Open(_dir.Path, _identity);

        Assert.Contains("route is empty", Assert.Throws<ArgumentException>(() => graph.Append(new DecisionDraft { Route = "", Action = "move" })).Message, StringComparison.Ordinal);
        Assert.Contains("unpaired surrogate", Assert.Throws<ArgumentException>(() => graph.Append(new DecisionDraft { Route = "r\ud800", Action = "move" })).Message, StringComparison.Ordinal);
        Assert.Contains("at most 1024", Assert.Throws<ArgumentException>(() => graph.Append(new DecisionDraft { Route = new string('r', 1025), Action = "move" })).Message, StringComparison.Ordinal);
        Assert.Contains("at most 256", Assert.Throws<ArgumentException>(() => graph.Append(new DecisionDraft { Route = "r", Action = "move", StatesAfter = [.. Enumerable.Repeat("s", 257)] })).Message, StringComparison.Ordinal);
        Assert.Contains("at most 256 are allowed", Assert.Throws<ArgumentException>(() => graph.Append(new DecisionDraft { Route = "r", Action = "move", PeerRefs = [.. Enumerable.Repeat(DecisionHash.Zero, 257)] })).Message, StringComparison.Ordinal);

        Assert.Null(graph.Latest);
        Assert.Equal(1, graph.Append(GraphKit.Draft(1)).Sequence);
    }

    [Fact]
    public void Hashes_print_and_parse_as_hex()
    {
        var hash = DecisionHash.Compute("x"u8);
        var text = hash.ToString();

        Assert.Matches("^[0-9a-f]{64}$", text);
        Assert.Equal(hash, DecisionHash.Parse(text.ToUpperInvariant()));
        Assert.False(DecisionHash.TryParse(text[1..], out _));
        Assert.False(DecisionHash.TryParse(text[1..] + "g", out _));
        Assert.True(default(DecisionHash).IsZero);
        Assert.Equal(DecisionHash.Zero, default);
    }
}
