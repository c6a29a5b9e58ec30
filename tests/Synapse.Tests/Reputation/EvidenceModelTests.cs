using Synapse.Flows.Graph;
using Synapse.Reputation;
using static Synapse.Testing.ReputationKit;

namespace Synapse.Tests.Reputation;

public class EvidenceModelTests
{
    [Fact]
    public void An_interaction_needs_a_response_linking_the_opening_and_a_later_closing_linking_the_response()
    {
        using var alice = new Party();
        using var bob = new Party();
        DecisionRecord opening = alice.Record();
        DecisionRecord response = bob.Record(cause: opening.Hash);
        DecisionRecord closing = alice.Record(null, response.Hash);

        Interaction found = Assert.Single(Interaction.Find([closing, response, opening, opening]));
        Assert.Equal((alice.Id, bob.Id), (found.Initiator, found.Responder));
        Assert.True(found.IsBetween(bob.Id, alice.Id));
        Assert.Equal(closing.Hash, found.Closing.Hash);

        Assert.Empty(Interaction.Find([opening, response]));
        Assert.Empty(Interaction.Find([response, closing]));
        DecisionRecord unanswered = alice.Record(null, opening.Hash);
        Assert.Empty(Interaction.Find([opening, unanswered]));
    }

    [Fact]
    public void A_record_with_a_bad_signature_breaks_the_interaction()
    {
        using var alice = new Party();
        using var bob = new Party();
        DecisionRecord opening = alice.Record();
        DecisionRecord response = bob.Record(cause: opening.Hash);
        DecisionRecord closing = alice.Record(null, response.Hash);
        byte[] forged = response.Bytes.ToArray();
        forged[^1] ^= 1;

        Assert.Empty(Interaction.Find([opening, DecisionRecord.Decode(forged), closing]));
    }

    [Fact]
    public void A_report_round_trips_verifies_and_detects_tampering()
    {
        using var alice = new Party();
        using var bob = new Party();
        DecisionHash id = DecisionHash.Compute([1, 2, 3]);
        var report = ReputationReport.Sign(alice.Identity, bob.Id, ReputationReportKind.Timeout, id, Now.AddTicks(5_000));

        ReputationReport decoded = ReputationReport.Decode(report.Encoded.Span);
        Assert.True(decoded.VerifySignature());
        Assert.Equal((bob.Id, alice.Id, ReputationReportKind.Timeout, id, Now), (decoded.Subject, decoded.Reporter, decoded.Kind, decoded.Interaction, decoded.Timestamp));
        Assert.Equal(report.Hash, decoded.Hash);

        byte[] tampered = report.Encoded.ToArray();
        tampered[^65] ^= 1; // last byte of the timestamp
        Assert.False(ReputationReport.Decode(tampered).VerifySignature());
        Assert.Throws<ReputationException>(() => ReputationReport.Decode(tampered.AsSpan(0, 60)));
        Assert.Throws<ReputationException>(() => ReputationReport.Decode(new byte[600]));
    }

    [Fact]
    public void A_quarantine_attestation_round_trips_and_verifies_with_the_relay_key_only()
    {
        using var relay = new Party();
        using var bob = new Party();
        var attestation = QuarantineAttestation.Sign(relay.Identity, bob.Id, "rate_limit", Now, Now.AddHours(1));

        QuarantineAttestation decoded = QuarantineAttestation.Decode(attestation.Encoded.Span);
        Assert.True(decoded.VerifySignature());
        Assert.Equal((relay.Id, bob.Id, "rate_limit", Now, Now.AddHours(1)), (decoded.Relay, decoded.Subject, decoded.Reason, decoded.From, decoded.Until));

        using var mallory = new Party();
        var other = QuarantineAttestation.Sign(mallory.Identity, bob.Id, "rate_limit", Now, Now.AddHours(1));
        byte[] swapped = attestation.Encoded.ToArray();
        other.Encoded.Span[^64..].CopyTo(swapped.AsSpan(swapped.Length - 64));
        Assert.False(QuarantineAttestation.Decode(swapped).VerifySignature());
        Assert.Throws<ArgumentException>(() => QuarantineAttestation.Sign(relay.Identity, bob.Id, "x", Now, Now.AddSeconds(-1)));
    }
}
