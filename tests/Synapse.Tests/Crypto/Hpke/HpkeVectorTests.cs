using Synapse.Crypto;
using Synapse.Crypto.Hpke;

namespace Synapse.Tests.Crypto.Hpke;

/// <summary>RFC 9180 appendix A.2 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305): all four setups.</summary>
public class HpkeVectorTests
{
    public static TheoryData<string> Setups => HpkeVectors.Names();

    [Fact]
    public void The_file_holds_the_four_setups()
    {
        Assert.Equal(new[] { "Base", "PSK", "Auth", "AuthPSK" }, HpkeVectors.All.Keys.ToArray());
        foreach (HpkeVector vector in HpkeVectors.All.Values)
        {
            Assert.Equal(HpkeSuite.KemId, vector["kem_id"][0]);
            Assert.Equal(HpkeSuite.KdfId, vector["kdf_id"][0]);
            Assert.Equal(HpkeSuite.AeadId, vector["aead_id"][0]);
            Assert.Equal(6, vector.Encryptions.Count);
            Assert.Equal(3, vector.Exports.Count);
        }
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void DeriveKeyPair_reproduces_the_keys(string name)
    {
        HpkeVector vector = HpkeVectors.All[name];
        foreach (string who in (string[])["E", "R", "S"])
        {
            if (!vector.Fields.TryGetValue("ikm" + who, out byte[]? ikm))
            {
                continue;
            }

            byte[] privateKey = new byte[HpkeSuite.KeySize];
            byte[] publicKey = new byte[HpkeSuite.KeySize];
            HpkeSuite.DeriveKeyPair(ikm, privateKey, publicKey);
            Assert.Equal(Convert.ToHexString(vector[$"sk{who}m"]), Convert.ToHexString(privateKey));
            Assert.Equal(Convert.ToHexString(vector[$"pk{who}m"]), Convert.ToHexString(publicKey));
        }
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void Encap_and_Decap_reproduce_enc_and_shared_secret(string name)
    {
        HpkeVector vector = HpkeVectors.All[name];
        bool auth = vector.Fields.ContainsKey("skSm");
        byte[] enc = new byte[HpkeSuite.KeySize];
        byte[] senderSecret = new byte[32];
        HpkeSuite.Encap(vector["skEm"], vector["pkRm"], auth ? vector["skSm"] : default, enc, senderSecret);
        Assert.Equal(Hex(vector["enc"]), Hex(enc));
        Assert.Equal(Hex(vector["shared_secret"]), Hex(senderSecret));

        byte[] receiverSecret = new byte[32];
        HpkeSuite.Decap(vector["enc"], vector["skRm"], auth ? vector["pkSm"] : default, receiverSecret);
        Assert.Equal(Hex(vector["shared_secret"]), Hex(receiverSecret));
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void Setup_reproduces_the_key_schedule_encryptions_and_exports(string name)
    {
        HpkeVector vector = HpkeVectors.All[name];
        var mode = (HpkeMode)vector.Mode;
        byte[] enc = new byte[HpkeSuite.KeySize];
        using HpkeContext sender = HpkeSuite.SetupSenderDeterministic(
            mode, vector["skEm"], vector["pkRm"], vector["info"], vector.Optional("psk"), vector.Optional("psk_id"), vector.Optional("skSm"), enc);
        using HpkeContext receiver = HpkeSuite.SetupReceiver(
            mode, enc, vector["skRm"], vector["info"], vector.Optional("psk"), vector.Optional("psk_id"), vector.Optional("pkSm"));
        Assert.Equal(Hex(vector["enc"]), Hex(enc));

        foreach (HpkeContext context in (HpkeContext[])[sender, receiver])
        {
            Assert.Equal(Hex(vector["key"]), Hex(context.Key));
            Assert.Equal(Hex(vector["base_nonce"]), Hex(context.BaseNonce));
            Assert.Equal(Hex(vector["exporter_secret"]), Hex(context.ExporterSecret));
        }

        // Every encryption in sequence: the messages the vector skips are sealed and opened too, so both contexts
        // reach each listed sequence number by counting, not by being told.
        byte[] filler = [1, 2, 3];
        foreach (HpkeEncryptionVector encryption in vector.Encryptions)
        {
            while (sender.SequenceNumber < encryption.SequenceNumber)
            {
                Assert.Equal(filler, receiver.Open([], sender.Seal([], filler)));
            }

            Assert.Equal(encryption.SequenceNumber, receiver.SequenceNumber);
            byte[] nonce = new byte[HpkeSuite.NonceSize];
            sender.ComputeNonce(nonce);
            Assert.Equal(Hex(encryption.Nonce), Hex(nonce));

            byte[] ciphertext = sender.Seal(encryption.Aad, encryption.Plaintext);
            Assert.Equal(Hex(encryption.Ciphertext), Hex(ciphertext));
            Assert.Equal(Hex(encryption.Plaintext), Hex(receiver.Open(encryption.Aad, ciphertext)));
        }

        Assert.Equal(257UL, sender.SequenceNumber);
        Assert.Equal(257UL, receiver.SequenceNumber);

        foreach (HpkeExportVector export in vector.Exports)
        {
            Assert.Equal(Hex(export.Value), Hex(sender.Export(export.Context, export.Length)));
            Assert.Equal(Hex(export.Value), Hex(receiver.Export(export.Context, export.Length)));
        }
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void The_public_setup_functions_interoperate_with_fresh_ephemeral_keys(string name)
    {
        HpkeVector vector = HpkeVectors.All[name];
        byte[] info = vector["info"];
        byte[] psk = vector.Optional("psk");
        byte[] pskId = vector.Optional("psk_id");
        byte[] enc = new byte[HpkeSuite.KeySize];
        using HpkeContext sender = (HpkeMode)vector.Mode switch
        {
            HpkeMode.Base => HpkeSuite.SetupBaseSender(vector["pkRm"], info, enc),
            HpkeMode.Psk => HpkeSuite.SetupPskSender(vector["pkRm"], info, psk, pskId, enc),
            HpkeMode.Auth => HpkeSuite.SetupAuthSender(vector["pkRm"], info, vector["skSm"], enc),
            _ => HpkeSuite.SetupAuthPskSender(vector["pkRm"], info, psk, pskId, vector["skSm"], enc),
        };
        using HpkeContext receiver = (HpkeMode)vector.Mode switch
        {
            HpkeMode.Base => HpkeSuite.SetupBaseReceiver(enc, vector["skRm"], info),
            HpkeMode.Psk => HpkeSuite.SetupPskReceiver(enc, vector["skRm"], info, psk, pskId),
            HpkeMode.Auth => HpkeSuite.SetupAuthReceiver(enc, vector["skRm"], info, vector["pkSm"]),
            _ => HpkeSuite.SetupAuthPskReceiver(enc, vector["skRm"], info, psk, pskId, vector["pkSm"]),
        };

        Assert.NotEqual(Hex(vector["enc"]), Hex(enc));
        Assert.Equal(Hex(sender.Key), Hex(receiver.Key));
        Assert.NotEqual(Hex(vector["key"]), Hex(sender.Key));
        byte[] message = "hello"u8.ToArray();
        Assert.Equal(message, receiver.Open("aad"u8, sender.Seal("aad"u8, message)));
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
