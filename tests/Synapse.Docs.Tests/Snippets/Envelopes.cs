// docs/envelopes.md: sealing a message to a recipient's certified key, routing it, opening it.
using Synapse.Envelopes;
using Synapse.Identity;

namespace Synapse.Docs.Tests.Snippets;

internal static class EnvelopesSnippet
{
    public static (bool Genuine, OpenedEnvelope Opened) Run(AgentIdentity alice, AgentIdentity bob, byte[] payload)
    {
        // The recipient, once: create an encryption key, publish its certificate (e.g. in the agent card).
        using EncryptionKeyPair bobKey = EncryptionKeyPair.Generate(bob);          // or .Derive(bob) — see below
        byte[] card = bobKey.Certificate.Encode();

        // A sender: check the certificate, seal.
        EncryptionKeyCertificate bobCert = EncryptionKeyCertificate.Decode(card);  // verifies Bob's signature
        SealedEnvelope envelope = EnvelopeSealer.Seal(alice, bobCert, payload);
        byte[] wire = envelope.Encode();

        // A relay: routing fields only, no key needed.
        SealedEnvelope seen = SealedEnvelope.Decode(wire);  // Sender, Recipient, MessageId, Timestamp, sizes
        bool genuine = seen.VerifySignature();              // optional: drop forgeries early

        // The recipient: one opener per agent (it holds the replay cache).
        var opener = new EnvelopeOpener(bobKey);
        OpenedEnvelope opened = opener.Open(wire);          // or EnvelopeException with a Reason

        return (genuine, opened);
    }
}
