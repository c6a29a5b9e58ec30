using Synapse.Crypto;
using Synapse.Crypto.Hpke;

namespace Synapse.Tests.Crypto.Hpke;

public class HpkeContextTests
{
    private static (byte[] Private, byte[] Public) NewKeyPair()
    {
        byte[] privateKey = new byte[X25519.KeySize];
        byte[] publicKey = new byte[X25519.KeySize];
        X25519.GenerateKeyPair(privateKey, publicKey);
        return (privateKey, publicKey);
    }

    [Fact]
    public void Open_fails_on_any_changed_bit_and_does_not_advance()
    {
        var recipient = NewKeyPair();
        byte[] enc = new byte[HpkeSuite.KeySize];
        using HpkeContext sender = HpkeSuite.SetupBaseSender(recipient.Public, "info"u8, enc);
        using HpkeContext receiver = HpkeSuite.SetupBaseReceiver(enc, recipient.Private, "info"u8);
        byte[] ciphertext = sender.Seal("aad"u8, "payload"u8);
        for (int bit = 0; bit < ciphertext.Length * 8; bit++)
        {
            byte[] tampered = (byte[])ciphertext.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            HpkeException ex = Assert.Throws<HpkeException>(() => receiver.Open("aad"u8, tampered));
            Assert.Equal(HpkeError.OpenFailed, ex.Error);
            Assert.Equal(0UL, receiver.SequenceNumber);
        }

        HpkeException wrongAad = Assert.Throws<HpkeException>(() => receiver.Open("aaD"u8, ciphertext));
        Assert.Equal(HpkeError.OpenFailed, wrongAad.Error);
        Assert.Equal(HpkeError.OpenFailed, Assert.Throws<HpkeException>(() => receiver.Open([], new byte[15])).Error);
        Assert.Equal("payload"u8.ToArray(), receiver.Open("aad"u8, ciphertext));
        Assert.Equal(1UL, receiver.SequenceNumber);
    }

    [Fact]
    public void Messages_must_be_opened_in_order()
    {
        var recipient = NewKeyPair();
        byte[] enc = new byte[HpkeSuite.KeySize];
        using HpkeContext sender = HpkeSuite.SetupBaseSender(recipient.Public, [], enc);
        using HpkeContext receiver = HpkeSuite.SetupBaseReceiver(enc, recipient.Private, []);
        byte[] first = sender.Seal([], "one"u8);
        byte[] second = sender.Seal([], "two"u8);
        Assert.Throws<HpkeException>(() => receiver.Open([], second));
        Assert.Equal("one"u8.ToArray(), receiver.Open([], first));
        Assert.Throws<HpkeException>(() => receiver.Open([], first));
        Assert.Equal("two"u8.ToArray(), receiver.Open([], second));
    }

    [Fact]
    public void Different_info_gives_different_keys()
    {
        var recipient = NewKeyPair();
        byte[] enc = new byte[HpkeSuite.KeySize];
        using HpkeContext sender = HpkeSuite.SetupBaseSender(recipient.Public, "one"u8, enc);
        using HpkeContext receiver = HpkeSuite.SetupBaseReceiver(enc, recipient.Private, "two"u8);
        Assert.Throws<HpkeException>(() => receiver.Open([], sender.Seal([], "x"u8)));
    }

    [Fact]
    public void The_sequence_number_limit_is_enforced()
    {
        var recipient = NewKeyPair();
        byte[] enc = new byte[HpkeSuite.KeySize];
        using HpkeContext sender = HpkeSuite.SetupBaseSender(recipient.Public, [], enc);
        using HpkeContext receiver = HpkeSuite.SetupBaseReceiver(enc, recipient.Private, []);
        sender.SequenceNumber = ulong.MaxValue - 1;
        receiver.SequenceNumber = ulong.MaxValue - 1;
        Assert.Equal("last"u8.ToArray(), receiver.Open([], sender.Seal([], "last"u8)));
        Assert.Equal(HpkeError.MessageLimitReached, Assert.Throws<HpkeException>(() => sender.Seal([], "x"u8)).Error);
        Assert.Equal(HpkeError.MessageLimitReached, Assert.Throws<HpkeException>(() => receiver.Open([], new byte[20])).Error);
    }

    [Fact]
    public void Roles_are_enforced()
    {
        var recipient = NewKeyPair();
        byte[] enc = new byte[HpkeSuite.KeySize];
        using HpkeContext sender = HpkeSuite.SetupBaseSender(recipient.Public, [], enc);
        using HpkeContext receiver = HpkeSuite.SetupBaseReceiver(enc, recipient.Private, []);
        Assert.True(sender.IsSender);
        Assert.False(receiver.IsSender);
        Assert.Throws<InvalidOperationException>(() => sender.Open([], new byte[16]));
        Assert.Throws<InvalidOperationException>(() => receiver.Seal([], []));
    }

    [Fact]
    public void Low_order_keys_are_refused()
    {
        var recipient = NewKeyPair();
        byte[] zero = new byte[HpkeSuite.KeySize];
        byte[] enc = new byte[HpkeSuite.KeySize];
        Assert.Equal(HpkeError.InvalidKey, Assert.Throws<HpkeException>(() => HpkeSuite.SetupBaseSender(zero, [], enc)).Error);
        Assert.Equal(HpkeError.InvalidKey, Assert.Throws<HpkeException>(() => HpkeSuite.SetupBaseReceiver(zero, recipient.Private, [])).Error);
        Assert.Equal(HpkeError.InvalidKey, Assert.Throws<HpkeException>(() => HpkeSuite.SetupAuthReceiver(recipient.Public, recipient.Private, [], zero)).Error);
    }

    [Fact]
    public void Psk_inputs_must_match_the_mode()
    {
        var recipient = NewKeyPair();
        byte[] enc = new byte[HpkeSuite.KeySize];
        byte[] psk = new byte[32];
        Assert.Equal(HpkeError.InconsistentPsk, Assert.Throws<HpkeException>(() => HpkeSuite.SetupPskSender(recipient.Public, [], [], [], enc)).Error);
        Assert.Equal(HpkeError.InconsistentPsk, Assert.Throws<HpkeException>(() => HpkeSuite.SetupPskSender(recipient.Public, [], psk, [], enc)).Error);
        Assert.Equal(HpkeError.InconsistentPsk, Assert.Throws<HpkeException>(() => HpkeSuite.SetupPskReceiver(recipient.Public, recipient.Private, [], [], "id"u8)).Error);
    }

    [Fact]
    public void Wrong_sizes_are_argument_errors()
    {
        var recipient = NewKeyPair();
        Assert.Throws<ArgumentException>(() => HpkeSuite.SetupBaseSender(new byte[31], [], new byte[32]));
        Assert.Throws<ArgumentException>(() => HpkeSuite.SetupBaseSender(recipient.Public, [], new byte[33]));
        Assert.Throws<ArgumentException>(() => HpkeSuite.SetupBaseReceiver(new byte[32], new byte[16], []));
        Assert.Throws<ArgumentException>(() => HpkeSuite.DeriveKeyPair(new byte[31], new byte[32], new byte[32]));
    }

    [Fact]
    public void Export_length_is_bounded_and_disposal_is_final()
    {
        var recipient = NewKeyPair();
        byte[] enc = new byte[HpkeSuite.KeySize];
        HpkeContext sender = HpkeSuite.SetupBaseSender(recipient.Public, [], enc);
        Assert.Equal(HpkeSuite.MaxExportLength, sender.Export("x"u8, HpkeSuite.MaxExportLength).Length);
        Assert.Empty(sender.Export("x"u8, 0));
        Assert.NotEqual(sender.Export("x"u8, 64)[..32], sender.Export("x"u8, 32));
        Assert.NotEqual(sender.Export("x"u8, 32), sender.Export("y"u8, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.Export("x"u8, HpkeSuite.MaxExportLength + 1));
        sender.Dispose();
        Assert.True(sender.Key.ToArray().All(b => b == 0));
        Assert.Throws<ObjectDisposedException>(() => sender.Seal([], []));
        Assert.DoesNotContain(Convert.ToHexString(enc), sender.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
