using System.Security.Cryptography;

namespace Synapse.Tests.Crypto;

/// <summary>
/// Wycheproof <c>chacha20_poly1305_test.json</c> against the in-box <see cref="ChaCha20Poly1305"/> (RFC 8439),
/// which the Noise and HPKE layers use. "valid" cases encrypt to the listed ciphertext and tag and decrypt back;
/// "invalid" cases are either a modified tag (decryption must fail authentication) or a nonce that is not
/// 12 bytes (the API must refuse it, in both directions, before touching any data).
/// </summary>
public class ChaCha20Poly1305WycheproofTests
{
    private const string VectorFile = "chacha20_poly1305_test.json";

    public static TheoryData<int> Cases => Wycheproof.Ids(VectorFile);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encrypt_and_decrypt_give_the_expected_verdict(int tcId)
    {
        Assert.True(ChaCha20Poly1305.IsSupported);
        WycheproofCase c = Wycheproof.Case(VectorFile, tcId);
        byte[] key = c.Bytes("key");
        byte[] nonce = c.Bytes("iv");
        byte[] aad = c.Bytes("aad");
        byte[] message = c.Bytes("msg");
        byte[] ciphertext = c.Bytes("ct");
        byte[] tag = c.Bytes("tag");
        Assert.Equal(128, c.Group.GetProperty("tagSize").GetInt32());
        using var aead = new ChaCha20Poly1305(key);

        if (c.Result == "valid")
        {
            var encrypted = new byte[message.Length];
            var computedTag = new byte[16];
            aead.Encrypt(nonce, message, encrypted, computedTag, aad);
            Assert.Equal(Convert.ToHexString(ciphertext), Convert.ToHexString(encrypted));
            Assert.Equal(Convert.ToHexString(tag), Convert.ToHexString(computedTag));

            var decrypted = new byte[ciphertext.Length];
            aead.Decrypt(nonce, ciphertext, tag, decrypted, aad);
            Assert.Equal(Convert.ToHexString(message), Convert.ToHexString(decrypted));
            return;
        }

        Assert.Equal("invalid", c.Result);
        if (c.Flags.Contains("InvalidNonceSize"))
        {
            Assert.NotEqual(12, nonce.Length);
            Assert.Throws<ArgumentException>("nonce", () => aead.Encrypt(nonce, message, new byte[message.Length], new byte[16], aad));
            Assert.Throws<ArgumentException>("nonce", () => aead.Decrypt(nonce, ciphertext, tag, new byte[ciphertext.Length], aad));
        }
        else
        {
            Assert.Contains("ModifiedTag", c.Flags);
            var plaintext = new byte[ciphertext.Length];
            plaintext.AsSpan().Fill(0xAA);
            Assert.Throws<AuthenticationTagMismatchException>(() => aead.Decrypt(nonce, ciphertext, tag, plaintext, aad));
            Assert.Equal(new byte[plaintext.Length], plaintext); // nothing unauthenticated is released
        }
    }

    [Fact]
    public void The_file_has_every_case()
    {
        Assert.Equal(325, Wycheproof.All(VectorFile).Count());
    }
}
