using System.Buffers;
using System.Security.Cryptography;
using Synapse.Crypto;
using Synapse.Crypto.Noise;
using Synapse.Identity;

namespace Synapse.Tests.Crypto.Noise;

/// <summary>The Synapse identity handshake over Noise XX, and the transport it yields.</summary>
public class NoiseXXHandshakeTests
{
    /// <summary>Runs the three messages between two in-memory parties.</summary>
    internal static (NoiseSession Initiator, NoiseSession Responder) Run(NoiseXXHandshake initiator, NoiseXXHandshake responder, long rekeyInterval = 0)
    {
        responder.ReadMessage(initiator.WriteMessage());
        initiator.ReadMessage(responder.WriteMessage());
        responder.ReadMessage(initiator.WriteMessage());
        return (initiator.Complete(rekeyInterval), responder.Complete(rekeyInterval));
    }

    internal static (NoiseSession Initiator, NoiseSession Responder) Connect(AgentIdentity alice, AgentIdentity bob, long rekeyInterval = 0)
    {
        using NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(alice, "synapse-test"u8);
        using NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(bob, "synapse-test"u8);
        return Run(initiator, responder, rekeyInterval);
    }

    [Fact]
    public void Both_sides_learn_each_others_agent_id()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        using NoiseStaticCredential aliceKey = NoiseStaticCredential.Create(alice);
        using NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(aliceKey, "p"u8, expectedPeer: bob.Id);
        using NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(bob, "p"u8);
        Assert.True(initiator.IsInitiator);
        Assert.True(initiator.IsMyTurnToWrite);
        Assert.False(responder.IsMyTurnToWrite);

        byte[] first = initiator.WriteMessage();
        Assert.Equal(32, first.Length);
        responder.ReadMessage(first);
        Assert.Null(responder.PeerId);
        initiator.ReadMessage(responder.WriteMessage());
        Assert.Equal(bob.Id, initiator.PeerId);
        Assert.False(initiator.IsCompleted);
        responder.ReadMessage(initiator.WriteMessage());
        Assert.Equal(alice.Id, responder.PeerId);
        Assert.True(initiator.IsCompleted);
        Assert.True(responder.IsCompleted);

        using NoiseSession a = initiator.Complete();
        using NoiseSession b = responder.Complete();
        Assert.Equal(bob.Id, a.PeerId);
        Assert.Equal(alice.Id, b.PeerId);
        Assert.True(a.IsInitiator);
        Assert.False(b.IsInitiator);
        Assert.Equal(a.HandshakeHash.ToArray(), b.HandshakeHash.ToArray());
        Assert.Equal(32, a.HandshakeHash.Length);
        Assert.Equal(aliceKey.PublicKey.ToArray(), b.PeerStaticPublicKey.ToArray());
        Assert.Throws<InvalidOperationException>(() => initiator.Complete());
        Assert.DoesNotContain("Noise", a.PeerId.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_identity_payload_is_the_documented_map()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using NoiseStaticCredential credential = NoiseStaticCredential.Create(alice);
        var reader = new Synapse.MessagePack.MsgPackReader(credential.Payload);
        var value = Synapse.MessagePack.MsgPackValue.ReadFrom(ref reader);
        Assert.Equal(alice.Id.ToString(), value["id"]!.AsString());
        byte[] signature = value["sig"]!.AsBinary().ToArray();
        Assert.True(Ed25519.Verify(alice.Id.PublicKey, [.. "synapse-noise-static-v1"u8, .. credential.PublicKey], signature));
    }

    [Fact]
    public void Every_tampered_handshake_message_fails()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        using NoiseStaticCredential aliceKey = NoiseStaticCredential.Create(alice);
        using NoiseStaticCredential bobKey = NoiseStaticCredential.Create(bob);

        for (int message = 0; message < 3; message++)
        {
            // Record an honest run's message, then replay the exchange with one bit flipped at each position.
            int length;
            {
                using NoiseXXHandshake i = NoiseXXHandshake.CreateInitiator(aliceKey);
                using NoiseXXHandshake r = NoiseXXHandshake.CreateResponder(bobKey);
                length = Exchange(i, r, message, tamperBit: -1);
            }

            for (int bit = 0; bit < length * 8; bit++)
            {
                using NoiseXXHandshake i = NoiseXXHandshake.CreateInitiator(aliceKey);
                using NoiseXXHandshake r = NoiseXXHandshake.CreateResponder(bobKey);
                Exception? failure = Record.Exception(() => Exchange(i, r, message, bit));

                // Message 1's cleartext ephemeral key is not authenticated by itself: a flipped bit is caught by
                // the first MAC that depends on it (message 2) — either way the handshake never completes.
                if (failure is null)
                {
                    failure = Record.Exception(() => FinishFrom(i, r, message + 1));
                }

                Assert.IsAssignableFrom<NoiseException>(failure);
                Assert.False(i.IsCompleted && r.IsCompleted);
            }
        }
    }

    /// <summary>Runs messages up to <paramref name="target"/>, flipping <paramref name="tamperBit"/> in it; returns its length.</summary>
    private static int Exchange(NoiseXXHandshake initiator, NoiseXXHandshake responder, int target, int tamperBit)
    {
        for (int index = 0; ; index++)
        {
            (NoiseXXHandshake sender, NoiseXXHandshake receiver) = index % 2 == 0 ? (initiator, responder) : (responder, initiator);
            byte[] message = sender.WriteMessage();
            if (index == target && tamperBit >= 0)
            {
                message[tamperBit / 8] ^= (byte)(1 << (tamperBit % 8));
            }

            receiver.ReadMessage(message);
            if (index == target)
            {
                return message.Length;
            }
        }
    }

    private static void FinishFrom(NoiseXXHandshake initiator, NoiseXXHandshake responder, int index)
    {
        for (; index < 3; index++)
        {
            (NoiseXXHandshake sender, NoiseXXHandshake receiver) = index % 2 == 0 ? (initiator, responder) : (responder, initiator);
            receiver.ReadMessage(sender.WriteMessage());
        }
    }

    [Fact]
    public void A_signature_over_another_static_key_is_refused()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();

        // Bob's credential carries his genuine signature, but over a different static key than the one he uses.
        byte[] otherPublic = new byte[32];
        X25519.GenerateKeyPair(new byte[32], otherPublic);
        byte[] signature = bob.Sign([.. NoiseStaticCredential.SignatureContext, .. otherPublic]);
        byte[] staticPrivate = new byte[32];
        X25519.GenerateKeyPair(staticPrivate, new byte[32]);
        using var forged = new NoiseStaticCredential(bob.Id, staticPrivate, signature);

        using (NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(alice))
        using (NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(forged))
        {
            responder.ReadMessage(initiator.WriteMessage());
            NoiseIdentityException ex = Assert.Throws<NoiseIdentityException>(() => initiator.ReadMessage(responder.WriteMessage()));
            Assert.Contains("does not verify", ex.Message, StringComparison.Ordinal);
            Assert.Null(initiator.PeerId);
            Assert.Throws<InvalidOperationException>(() => initiator.WriteMessage());
            Assert.Throws<InvalidOperationException>(() => initiator.Complete());
        }

        // The same forgery on the initiator's side is caught by the responder.
        using (NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(forged))
        using (NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(alice))
        {
            responder.ReadMessage(initiator.WriteMessage());
            initiator.ReadMessage(responder.WriteMessage());
            Assert.Throws<NoiseIdentityException>(() => responder.ReadMessage(initiator.WriteMessage()));
            Assert.False(responder.IsCompleted);
        }
    }

    [Fact]
    public void A_signature_by_another_agent_is_refused()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        using AgentIdentity mallory = AgentIdentity.Generate();
        byte[] staticPrivate = new byte[32];
        byte[] staticPublic = new byte[32];
        X25519.GenerateKeyPair(staticPrivate, staticPublic);

        // Mallory signs her own static key but claims to be Bob.
        byte[] signature = mallory.Sign([.. NoiseStaticCredential.SignatureContext, .. staticPublic]);
        using var impostor = new NoiseStaticCredential(bob.Id, staticPrivate, signature);
        using NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(alice);
        using NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(impostor);
        responder.ReadMessage(initiator.WriteMessage());
        Assert.Throws<NoiseIdentityException>(() => initiator.ReadMessage(responder.WriteMessage()));
    }

    [Fact]
    public void A_pinned_peer_id_is_enforced_on_both_sides()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        using AgentIdentity carol = AgentIdentity.Generate();
        using (NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(alice, expectedPeer: carol.Id))
        using (NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(bob))
        {
            responder.ReadMessage(initiator.WriteMessage());
            NoiseIdentityException ex = Assert.Throws<NoiseIdentityException>(() => initiator.ReadMessage(responder.WriteMessage()));
            Assert.Contains(carol.Id.ToString(), ex.Message, StringComparison.Ordinal);
        }

        using (NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(alice))
        using (NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(bob, expectedPeer: carol.Id))
        {
            responder.ReadMessage(initiator.WriteMessage());
            initiator.ReadMessage(responder.WriteMessage());
            Assert.Throws<NoiseIdentityException>(() => responder.ReadMessage(initiator.WriteMessage()));
        }
    }

    [Fact]
    public void Different_prologues_fail_authentication()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        using NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(alice, "v1"u8);
        using NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(bob, "v2"u8);
        responder.ReadMessage(initiator.WriteMessage());
        Assert.Throws<NoiseAuthenticationException>(() => initiator.ReadMessage(responder.WriteMessage()));
    }

    [Fact]
    public void A_payload_in_the_first_message_is_refused()
    {
        using AgentIdentity bob = AgentIdentity.Generate();
        using NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(bob);
        byte[] message = new byte[40];
        X25519.GenerateKeyPair(new byte[32], message.AsSpan(0, 32));
        Assert.Throws<NoiseException>(() => responder.ReadMessage(message));
    }

    [Fact]
    public void Malformed_identity_payloads_are_identity_errors()
    {
        byte[] staticKey = new byte[32];
        Assert.Throws<NoiseIdentityException>(() => NoiseIdentityPayload.Verify([0xc1], staticKey));
        Assert.Throws<NoiseIdentityException>(() => NoiseIdentityPayload.Verify([0x80], staticKey));
        Assert.Throws<NoiseIdentityException>(() => NoiseIdentityPayload.Verify([0x81, 0xa2, (byte)'i', (byte)'d', 0xa3, (byte)'x', (byte)'y', (byte)'z'], staticKey));
        using AgentIdentity alice = AgentIdentity.Generate();
        byte[] payload = NoiseIdentityPayload.Encode(alice.Id, new byte[64]);
        Assert.Throws<NoiseIdentityException>(() => NoiseIdentityPayload.Verify([.. payload, 0x00], staticKey));
        Assert.Throws<NoiseIdentityException>(() => NoiseIdentityPayload.Verify(payload, staticKey));
    }

    [Fact]
    public void Transport_messages_round_trip_in_both_directions()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        var (a, b) = Connect(alice, bob);
        using (a)
        using (b)
        {
            foreach (int size in (int[])[0, 1, 64, 1024, NoiseTransport.MaxPlaintextLength])
            {
                byte[] plaintext = RandomNumberGenerator.GetBytes(size);
                var wire = new ArrayBufferWriter<byte>();
                Assert.Equal(size + 16, a.EncryptFrame(plaintext, wire));
                var received = new ArrayBufferWriter<byte>();
                Assert.Equal(size, b.DecryptFrame(wire.WrittenSpan, received));
                Assert.Equal(plaintext, received.WrittenSpan.ToArray());

                wire.Clear();
                received.Clear();
                b.EncryptFrame(plaintext, wire);
                a.DecryptFrame(wire.WrittenSpan, received);
                Assert.Equal(plaintext, received.WrittenSpan.ToArray());
            }

            Assert.Equal(5UL, a.Transport.SendNonce);
            Assert.Equal(5UL, a.Transport.ReceiveNonce);
            Assert.Throws<ArgumentException>(() => a.EncryptFrame(new byte[NoiseTransport.MaxPlaintextLength + 1], new ArrayBufferWriter<byte>()));
        }
    }

    [Fact]
    public void Replayed_reordered_or_altered_messages_fail_authentication()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        byte[] first = new byte[21];
        byte[] second = new byte[21];
        byte[] plaintext = new byte[5];

        var (a, b) = Connect(alice, bob);
        using (a)
        using (b)
        {
            a.Transport.Encrypt("first"u8, first);
            a.Transport.Encrypt("secnd"u8, second);
            b.Transport.Decrypt(first, plaintext);
            Assert.Throws<NoiseAuthenticationException>(() => b.Transport.Decrypt(first, plaintext));

            // After an authentication failure the receiving side stays closed.
            NoiseException closed = Assert.Throws<NoiseException>(() => b.Transport.Decrypt(second, plaintext));
            Assert.IsNotType<NoiseAuthenticationException>(closed);
        }

        (a, b) = Connect(alice, bob);
        using (a)
        using (b)
        {
            a.Transport.Encrypt("first"u8, first);
            a.Transport.Encrypt("secnd"u8, second);
            Assert.Throws<NoiseAuthenticationException>(() => b.Transport.Decrypt(second, plaintext));
        }

        (a, b) = Connect(alice, bob);
        using (a)
        using (b)
        {
            a.Transport.Encrypt("first"u8, first);
            first[^1] ^= 0x80;
            Assert.Throws<NoiseAuthenticationException>(() => b.Transport.Decrypt(first, plaintext));
        }

        // A message from another session (same parties) does not authenticate either.
        var (a1, b1) = Connect(alice, bob);
        var (a2, b2) = Connect(alice, bob);
        using (a1)
        using (b1)
        using (a2)
        using (b2)
        {
            a1.Transport.Encrypt("first"u8, first);
            Assert.Throws<NoiseAuthenticationException>(() => b2.Transport.Decrypt(first, plaintext));
            Assert.NotEqual(a1.HandshakeHash.ToArray(), a2.HandshakeHash.ToArray());
        }
    }

    [Fact]
    public void Manual_rekey_keeps_both_sides_in_sync()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        var (a, b) = Connect(alice, bob);
        using (a)
        using (b)
        {
            byte[] message = new byte[20];
            byte[] plaintext = new byte[4];
            a.Transport.Encrypt("one!"u8, message);
            b.Transport.Decrypt(message, plaintext);

            a.Transport.RekeySend();
            b.Transport.RekeyReceive();
            a.Transport.Encrypt("two!"u8, message);
            b.Transport.Decrypt(message, plaintext);
            Assert.Equal("two!"u8.ToArray(), plaintext);

            // Only one side rekeying breaks the link.
            a.Transport.RekeySend();
            a.Transport.Encrypt("3333"u8, message);
            Assert.Throws<NoiseAuthenticationException>(() => b.Transport.Decrypt(message, plaintext));
        }
    }

    [Fact]
    public void Automatic_rekey_keeps_both_sides_in_sync()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        var (a, b) = Connect(alice, bob, rekeyInterval: 3);
        using (a)
        using (b)
        {
            byte[] message = new byte[24];
            byte[] plaintext = new byte[8];
            byte[]? previous = null;
            for (int i = 0; i < 20; i++)
            {
                (NoiseSession sender, NoiseSession receiver) = i % 3 == 0 ? (b, a) : (a, b);
                byte[] payload = BitConverter.GetBytes((long)i);
                sender.Transport.Encrypt(payload, message);
                receiver.Transport.Decrypt(message, plaintext);
                Assert.Equal(payload, plaintext);
                Assert.NotEqual(previous, message);
                previous = (byte[])message.Clone();
            }

            Assert.Equal(3, a.Transport.RekeyInterval);
        }

        // A peer with a different interval falls out of step at the first rekey.
        using NoiseXXHandshake initiator = NoiseXXHandshake.CreateInitiator(alice);
        using NoiseXXHandshake responder = NoiseXXHandshake.CreateResponder(bob);
        responder.ReadMessage(initiator.WriteMessage());
        initiator.ReadMessage(responder.WriteMessage());
        responder.ReadMessage(initiator.WriteMessage());
        using NoiseSession x = initiator.Complete(rekeyInterval: 2);
        using NoiseSession y = responder.Complete(rekeyInterval: 0);
        byte[] m = new byte[17];
        byte[] p = new byte[1];
        x.Transport.Encrypt([1], m);
        y.Transport.Decrypt(m, p);
        x.Transport.Encrypt([2], m);
        y.Transport.Decrypt(m, p);
        x.Transport.Encrypt([3], m);
        Assert.Throws<NoiseAuthenticationException>(() => y.Transport.Decrypt(m, p));
    }

    [Fact]
    public void Large_payloads_are_split_into_length_prefixed_messages()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        var (a, b) = Connect(alice, bob);
        using (a)
        using (b)
        {
            byte[] plaintext = RandomNumberGenerator.GetBytes((3 * NoiseTransport.MaxPlaintextLength) + 100);
            var wire = new ArrayBufferWriter<byte>();
            long written = a.Transport.WriteChunked(plaintext, wire);
            Assert.Equal(NoiseTransport.GetChunkedLength(plaintext.Length), written);
            Assert.Equal(plaintext.Length + (4 * 18), written);
            Assert.Equal(0, a.Transport.WriteChunked([], wire));
            Assert.Equal(4UL, a.Transport.SendNonce);

            // Feed the stream in awkward pieces, as a socket would.
            var received = new ArrayBufferWriter<byte>();
            byte[] stream = wire.WrittenSpan.ToArray();
            var pending = new List<byte>();
            int messages = 0;
            for (int offset = 0; offset < stream.Length; offset += 7777)
            {
                pending.AddRange(stream.AsSpan(offset, Math.Min(7777, stream.Length - offset)).ToArray());
                var input = new ReadOnlySequence<byte>(pending.ToArray());
                while (b.Transport.TryReadChunk(ref input, received))
                {
                    messages++;
                }

                pending = [.. input.ToArray()];
            }

            Assert.Empty(pending);
            Assert.Equal(4, messages);
            Assert.Equal(plaintext, received.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void A_chunk_shorter_than_a_tag_closes_the_receiving_side()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity bob = AgentIdentity.Generate();
        var (a, b) = Connect(alice, bob);
        using (a)
        using (b)
        {
            var input = new ReadOnlySequence<byte>(new byte[] { 0, 15 });
            Assert.Throws<NoiseException>(() => b.Transport.TryReadChunk(ref input, new ArrayBufferWriter<byte>()));
            var partial = new ReadOnlySequence<byte>(new byte[] { 0 });
            Assert.Throws<NoiseException>(() => b.Transport.Decrypt(new byte[16], []));
            Assert.False(a.Transport.TryReadChunk(ref partial, new ArrayBufferWriter<byte>()));
        }
    }
}
