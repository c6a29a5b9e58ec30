using System.Security.Cryptography;
using Synapse.Crypto;
using Synapse.Crypto.Noise;

namespace Synapse.Tests.Crypto.Noise;

/// <summary>CipherState, SymmetricState and HandshakeState behaviour beyond the vectors.</summary>
public class NoiseCoreTests
{
    private static byte[] NewPrivateKey()
    {
        byte[] privateKey = new byte[X25519.KeySize];
        X25519.GenerateKeyPair(privateKey, new byte[X25519.KeySize]);
        return privateKey;
    }

    private static byte[] PublicKeyOf(byte[] privateKey)
    {
        byte[] publicKey = new byte[X25519.KeySize];
        X25519.DerivePublicKey(privateKey, publicKey);
        return publicKey;
    }

    [Fact]
    public void Cipher_state_nonce_is_four_zero_bytes_and_little_endian_n()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var cipher = new NoiseCipherState(key);
        cipher.SetNonce(0x0102030405060708);
        byte[] ciphertext = new byte[5 + 16];
        cipher.EncryptWithAd("ad"u8, "hello"u8, ciphertext);
        Assert.Equal(0x0102030405060709UL, cipher.Nonce);

        using var aead = new ChaCha20Poly1305(key);
        byte[] expected = new byte[5];
        byte[] tag = new byte[16];
        aead.Encrypt([0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1], "hello"u8, expected, tag, "ad"u8);
        Assert.Equal([.. expected, .. tag], ciphertext);
    }

    [Fact]
    public void Cipher_state_without_key_passes_data_through()
    {
        using var cipher = new NoiseCipherState();
        Assert.False(cipher.HasKey);
        byte[] output = new byte[3];
        Assert.Equal(3, cipher.EncryptWithAd("ad"u8, "abc"u8, output));
        Assert.Equal("abc"u8.ToArray(), output);
        Assert.Equal(0UL, cipher.Nonce);
        Assert.Throws<InvalidOperationException>(cipher.Rekey);
        Assert.Throws<ArgumentException>(() => cipher.InitializeKey(new byte[31]));
    }

    [Fact]
    public void The_maximum_nonce_is_reserved()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var sender = new NoiseCipherState(key);
        using var receiver = new NoiseCipherState(key);
        sender.SetNonce(ulong.MaxValue - 1);
        receiver.SetNonce(ulong.MaxValue - 1);
        byte[] ciphertext = new byte[16];
        sender.EncryptWithAd([], [], ciphertext);
        receiver.DecryptWithAd([], ciphertext, []);
        Assert.Equal(NoiseCipherState.MaxNonce, sender.Nonce);
        NoiseException encrypt = Assert.Throws<NoiseException>(() => sender.EncryptWithAd([], [], new byte[16]));
        Assert.IsNotType<NoiseAuthenticationException>(encrypt);
        Assert.Throws<NoiseException>(() => receiver.DecryptWithAd([], ciphertext, []));
    }

    [Fact]
    public void Rekey_uses_the_maximum_nonce_and_keeps_n()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var cipher = new NoiseCipherState(key);
        cipher.SetNonce(7);
        cipher.Rekey();
        Assert.Equal(7UL, cipher.Nonce);

        // REKEY(k) = first 32 bytes of ENCRYPT(k, 2^64 - 1, empty, 32 zero bytes).
        using var aead = new ChaCha20Poly1305(key);
        byte[] newKey = new byte[32];
        aead.Encrypt((byte[])[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], new byte[32], newKey, new byte[16]);
        using var expected = new NoiseCipherState(newKey);
        expected.SetNonce(7);
        byte[] a = new byte[16 + 1];
        byte[] b = new byte[16 + 1];
        cipher.EncryptWithAd([], [42], a);
        expected.EncryptWithAd([], [42], b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Decryption_failure_does_not_advance_the_nonce()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var sender = new NoiseCipherState(key);
        using var receiver = new NoiseCipherState(key);
        byte[] ciphertext = new byte[20];
        sender.EncryptWithAd([], "abcd"u8, ciphertext);
        ciphertext[0] ^= 1;
        Assert.Throws<NoiseAuthenticationException>(() => receiver.DecryptWithAd([], ciphertext, new byte[4]));
        Assert.Equal(0UL, receiver.Nonce);
        ciphertext[0] ^= 1;
        byte[] plaintext = new byte[4];
        receiver.DecryptWithAd([], ciphertext, plaintext);
        Assert.Equal("abcd"u8.ToArray(), plaintext);
    }

    [Fact]
    public void Hkdf_matches_rfc5869_with_the_chaining_key_as_salt()
    {
        byte[] ck = RandomNumberGenerator.GetBytes(32);
        byte[] ikm = RandomNumberGenerator.GetBytes(32);
        byte[] outputs = new byte[96];
        NoiseSymmetricState.Hkdf(ck, ikm, outputs.AsSpan(0, 32), outputs.AsSpan(32, 32), outputs.AsSpan(64, 32));
        byte[] expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 96, ck, []);
        Assert.Equal(expected, outputs);
    }

    public static TheoryData<string> InteractivePatterns() =>
        [.. NoiseHandshakePattern.FundamentalNames, "NNpsk0", "NNpsk2", "XXpsk3", "IKpsk1", "KKpsk0+psk2", "Npsk0", "Xpsk1"];

    [Theory]
    [MemberData(nameof(InteractivePatterns))]
    public void Every_pattern_completes_in_memory_and_both_sides_agree(string patternName)
    {
        NoiseProtocol protocol = NoiseProtocol.Parse($"Noise_{patternName}_25519_ChaChaPoly_SHA256");
        NoiseHandshakePattern pattern = protocol.Pattern;
        byte[] initiatorStatic = NewPrivateKey();
        byte[] responderStatic = NewPrivateKey();
        bool Sends(bool initiator) => pattern.Messages.Where((_, i) => (i % 2 == 0) == initiator).Any(m => m.Contains(NoiseToken.S));
        bool initiatorNeedsStatic = pattern.InitiatorPreMessage.Contains(NoiseToken.S) || Sends(true);
        bool responderNeedsStatic = pattern.ResponderPreMessage.Contains(NoiseToken.S) || Sends(false);
        List<byte[]> psks = [.. Enumerable.Range(0, pattern.PskCount).Select(_ => RandomNumberGenerator.GetBytes(32))];

        using var initiator = new NoiseHandshakeState(
            protocol, true, "prologue"u8,
            initiatorNeedsStatic ? initiatorStatic : default,
            pattern.ResponderPreMessage.Contains(NoiseToken.S) ? PublicKeyOf(responderStatic) : default,
            psks);
        using var responder = new NoiseHandshakeState(
            protocol, false, "prologue"u8,
            responderNeedsStatic ? responderStatic : default,
            pattern.InitiatorPreMessage.Contains(NoiseToken.S) ? PublicKeyOf(initiatorStatic) : default,
            psks);

        for (int i = 0; !initiator.IsCompleted; i++)
        {
            (NoiseHandshakeState sender, NoiseHandshakeState receiver) = i % 2 == 0 ? (initiator, responder) : (responder, initiator);
            byte[] payload = RandomNumberGenerator.GetBytes(i + 3);
            Assert.Equal(payload, receiver.ReadMessage(sender.WriteMessage(payload)));
        }

        Assert.True(responder.IsCompleted);
        Assert.Equal(initiator.GetHandshakeHash(), responder.GetHandshakeHash());
        if (initiatorNeedsStatic)
        {
            Assert.Equal(PublicKeyOf(initiatorStatic), responder.RemoteStaticPublicKey.ToArray());
        }

        if (responderNeedsStatic)
        {
            Assert.Equal(PublicKeyOf(responderStatic), initiator.RemoteStaticPublicKey.ToArray());
        }

        var (send, receive) = initiator.TakeCipherStates();
        var (peerSend, peerReceive) = responder.TakeCipherStates();
        using var transport = new NoiseTransport(send, receive);
        using var peer = new NoiseTransport(peerSend, peerReceive);
        byte[] message = new byte[20];
        byte[] plaintext = new byte[4];
        transport.Encrypt("ping"u8, message);
        peer.Decrypt(message, plaintext);
        Assert.Equal("ping"u8.ToArray(), plaintext);
        Assert.Throws<InvalidOperationException>(() => initiator.TakeCipherStates());
    }

    [Fact]
    public void A_different_prologue_or_psk_fails_the_handshake()
    {
        using (var initiator = new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NN_25519_ChaChaPoly_SHA256"), true, "a"u8))
        using (var responder = new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NN_25519_ChaChaPoly_SHA256"), false, "b"u8))
        {
            responder.ReadMessage(initiator.WriteMessage([]));
            Assert.Throws<NoiseAuthenticationException>(() => initiator.ReadMessage(responder.WriteMessage([])));
            Assert.Throws<InvalidOperationException>(() => initiator.ReadMessage(new byte[48]));
        }

        NoiseProtocol psk = NoiseProtocol.Parse("Noise_NNpsk0_25519_ChaChaPoly_SHA256");
        using (var initiator = new NoiseHandshakeState(psk, true, preSharedKeys: [RandomNumberGenerator.GetBytes(32)]))
        using (var responder = new NoiseHandshakeState(psk, false, preSharedKeys: [RandomNumberGenerator.GetBytes(32)]))
        {
            Assert.Throws<NoiseAuthenticationException>(() => responder.ReadMessage(initiator.WriteMessage([])));
        }
    }

    [Fact]
    public void Keys_are_checked_against_the_pattern()
    {
        byte[] key = NewPrivateKey();
        Assert.Throws<ArgumentException>(() => new NoiseHandshakeState(NoiseProtocol.XX, true));
        Assert.Throws<ArgumentException>(() => new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NN_25519_ChaChaPoly_SHA256"), true, default, key));
        Assert.Throws<ArgumentException>(() => new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NK_25519_ChaChaPoly_SHA256"), true));
        Assert.Throws<ArgumentException>(() => new NoiseHandshakeState(NoiseProtocol.XX, true, default, key, PublicKeyOf(key)));
        Assert.Throws<ArgumentException>(() => new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NNpsk0_25519_ChaChaPoly_SHA256"), true));
        Assert.Throws<ArgumentException>(() => new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NNpsk0_25519_ChaChaPoly_SHA256"), true, preSharedKeys: [new byte[16]]));
    }

    [Theory]
    [InlineData("Noise_XX_25519_AESGCM_SHA256")]
    [InlineData("Noise_XX_448_ChaChaPoly_SHA256")]
    [InlineData("Noise_XX_25519_ChaChaPoly_BLAKE2s")]
    [InlineData("Noise_XXfallback_25519_ChaChaPoly_SHA256")]
    [InlineData("Noise_NK1_25519_ChaChaPoly_SHA256")]
    [InlineData("Noise_XXpsk4_25519_ChaChaPoly_SHA256")]
    [InlineData("Noise_XXpsk3+psk3_25519_ChaChaPoly_SHA256")]
    [InlineData("Noise_QQ_25519_ChaChaPoly_SHA256")]
    [InlineData("Noise__25519_ChaChaPoly_SHA256")]
    [InlineData("")]
    public void Unsupported_protocols_are_refused(string name)
    {
        Assert.False(NoiseProtocol.TryParse(name, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<ArgumentException>(() => NoiseProtocol.Parse(name));
    }

    [Fact]
    public void Psk_modifiers_place_the_token()
    {
        NoiseHandshakePattern pattern = NoiseHandshakePattern.Parse("XXpsk0+psk3");
        Assert.Equal([NoiseToken.Psk, NoiseToken.E], pattern.Messages[0]);
        Assert.Equal([NoiseToken.S, NoiseToken.SE, NoiseToken.Psk], pattern.Messages[2]);
        Assert.Equal(2, pattern.PskCount);
        Assert.True(pattern.IsPsk);
        Assert.False(pattern.IsOneWay);
        Assert.True(NoiseHandshakePattern.Parse("X").IsOneWay);
    }

    [Fact]
    public void Handshake_messages_are_bounded_and_turns_enforced()
    {
        using var initiator = new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NN_25519_ChaChaPoly_SHA256"), true);
        using var responder = new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NN_25519_ChaChaPoly_SHA256"), false);
        Assert.Throws<InvalidOperationException>(() => responder.WriteMessage([]));
        Assert.Throws<InvalidOperationException>(() => initiator.ReadMessage(new byte[32]));
        Assert.Throws<ArgumentException>(() => initiator.WriteMessage(new byte[NoiseHandshakeState.MaxMessageLength - 31]));
        Assert.Equal(NoiseHandshakeState.MaxMessageLength, initiator.WriteMessage(new byte[NoiseHandshakeState.MaxMessageLength - 32]).Length);
        Assert.Throws<NoiseException>(() => responder.ReadMessage(new byte[31]));
        Assert.Throws<InvalidOperationException>(() => responder.ReadMessage(new byte[32]));
    }

    [Fact]
    public void A_low_order_ephemeral_key_is_refused()
    {
        using var initiator = new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NN_25519_ChaChaPoly_SHA256"), true);
        using var responder = new NoiseHandshakeState(NoiseProtocol.Parse("Noise_NN_25519_ChaChaPoly_SHA256"), false);
        responder.ReadMessage(new byte[32]);
        Assert.Throws<NoiseException>(() => responder.WriteMessage([]));
    }
}
